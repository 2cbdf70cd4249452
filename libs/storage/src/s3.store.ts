import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectStore } from './object.store.js';
import type { StorageEnv } from './storage.config.js';

/** Files in an S3 bucket (credentials from the SDK's default chain), uploaded by presigned PUTs. */
export class S3Store implements ObjectStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly publicUrl: string;

  constructor(private readonly env: StorageEnv) {
    this.bucket = env.S3_BUCKET!;
    this.client = new S3Client({
      region: env.S3_REGION,
      // Otherwise SDK 3.7xx+ presigns a CRC32 of the empty body, and every real upload is refused.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT, forcePathStyle: true } : {}),
    });
    this.publicUrl = (env.S3_PUBLIC_URL ?? `https://${this.bucket}.s3.${env.S3_REGION}.amazonaws.com`).replace(/\/+$/, '');
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }));
  }

  async read(key: string): Promise<Buffer> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return Buffer.from(await res.Body!.transformToByteArray());
  }

  async size(key: string): Promise<number | undefined> {
    return this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })).then(
      (h) => h.ContentLength,
      () => undefined,
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  url(_origin: string, key: string): string {
    return `${this.publicUrl}/${key}`;
  }

  /**
   * The Content-Type is signed, as in the original (whose client sends it): an upload cannot store
   * text/html under a photo's key. S3 cannot check the size or the bytes of a presigned PUT, so the
   * API checks the size (HEAD) when a photo is created and the consumer the type when it reads it.
   */
  presignPut(_origin: string, key: string, contentType: string): Promise<string> {
    return getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }), {
      expiresIn: this.env.UPLOAD_URL_TTL_SECONDS,
      signableHeaders: new Set(['content-type']),
    });
  }
}
