import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { EnvError, validateEnv } from '@app/config';

const DEV_SIGNING_SECRET = 'scoopadive-dev-upload-signing-secret-change-me';

export class StorageEnv {
  /** Where uploaded images live with local disk storage; created at boot. */
  @IsString()
  @MinLength(1)
  STORAGE_DIR = 'var/uploads';

  /** Largest accepted image; larger uploads are cut off while streaming, before they are stored. */
  @Type(() => Number)
  @IsInt()
  @Min(1_024)
  @Max(100 * 1_048_576)
  UPLOAD_MAX_BYTES = 10 * 1_048_576;

  /** Life of a presigned upload URL. */
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(7 * 86_400)
  UPLOAD_URL_TTL_SECONDS = 3_600;

  /** HMAC key of local upload URLs; shared by every API process. Required in production. */
  @IsString()
  @MinLength(32)
  STORAGE_SIGNING_SECRET = DEV_SIGNING_SECRET;

  /** Set to store in S3 (or an S3-compatible store) instead of local disk. */
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be an S3 bucket name' })
  S3_BUCKET?: string = undefined;

  @Matches(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'must be an AWS region such as ap-northeast-2' })
  S3_REGION = 'ap-northeast-2';

  /** For S3-compatible stores (MinIO…); path-style addressing is used with it. */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  S3_ENDPOINT?: string = undefined;

  /** Public base URL of the bucket; default https://<bucket>.s3.<region>.amazonaws.com. */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  S3_PUBLIC_URL?: string = undefined;
}

export const storageConfig = registerAs('storage', () => {
  const env = validateEnv(StorageEnv);
  if (process.env.NODE_ENV === 'production' && !env.S3_BUCKET && env.STORAGE_SIGNING_SECRET === DEV_SIGNING_SECRET) {
    throw new EnvError('Config error: STORAGE_SIGNING_SECRET is required when NODE_ENV=production (without S3_BUCKET)');
  }
  return env;
});
