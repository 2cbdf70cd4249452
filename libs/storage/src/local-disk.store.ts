import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { ObjectStore } from './object.store.js';
import type { StorageSettings } from './storage.config.js';

/** URL path under which stored files are served, without auth, as the original's S3 objects were: their keys are random. */
export const MEDIA_PREFIX = '/media/';
/** URL path of the signed PUT that stands in for S3's presigned upload. */
export const UPLOAD_PREFIX = '/api/uploads/';

/**
 * Files on local disk, served by the API under /media/. Presigned uploads are an HMAC over
 * (key, content type, expiry), checked by the API's upload route, so a URL is good for one key, one
 * type and a limited time, like S3's.
 */
export class LocalDiskStore implements ObjectStore {
  readonly root: string;

  constructor(private readonly env: StorageSettings) {
    this.root = resolve(env.STORAGE_DIR);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    // wx: a key is written once; a second upload to the same URL cannot replace the file.
    await writeFile(path, bytes, { flag: 'wx' });
  }

  read(key: string): Promise<Buffer> {
    return readFile(this.path(key));
  }

  async size(key: string): Promise<number | undefined> {
    return stat(this.path(key)).then(
      (s) => (s.isFile() ? s.size : undefined),
      () => undefined,
    );
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  url(origin: string, key: string): string {
    return `${origin}${MEDIA_PREFIX}${key}`;
  }

  async presignPut(origin: string, key: string, contentType: string): Promise<string> {
    const expires = Math.floor(Date.now() / 1000) + this.env.UPLOAD_URL_TTL_SECONDS;
    const query = new URLSearchParams({ type: contentType, expires: String(expires), sig: this.sign(key, contentType, expires) });
    return `${origin}${UPLOAD_PREFIX}${key.replace(/^uploads\//, '')}?${query}`;
  }

  /** True when the signature covers this key, type and expiry and the expiry has not passed. */
  verify(key: string, contentType: string, expires: number, sig: string): boolean {
    if (!Number.isSafeInteger(expires) || expires * 1000 < Date.now()) return false;
    const expected = Buffer.from(this.sign(key, contentType, expires));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private sign(key: string, contentType: string, expires: number): string {
    return createHmac('sha256', this.env.STORAGE_SIGNING_SECRET).update(`PUT\n${key}\n${contentType}\n${expires}`).digest('base64url');
  }

  private path(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error(`storage key outside the root: ${key}`);
    return path;
  }
}
