import { randomBytes } from 'node:crypto';
import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { localSecret, validateEnv } from '@app/config';

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

  /**
   * HMAC key of local upload URLs; shared by every API process. Required in production without S3;
   * elsewhere, when unset, a key generated once and kept in SECRETS_DIR.
   */
  @IsOptional()
  @IsString()
  @MinLength(32)
  STORAGE_SIGNING_SECRET?: string = undefined;

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

/** Storage settings once resolved: the signing key is always set. */
export type StorageSettings = StorageEnv & { STORAGE_SIGNING_SECRET: string };

export function storageEnvFrom(source: NodeJS.ProcessEnv = process.env): StorageSettings {
  const env = validateEnv(StorageEnv, source);
  // With S3 the local upload route is off, and a random key of this process alone does no harm.
  const fallback = () => (env.S3_BUCKET ? randomBytes(48).toString('base64url') : localSecret('STORAGE_SIGNING_SECRET', source));
  return Object.assign(env, { STORAGE_SIGNING_SECRET: env.STORAGE_SIGNING_SECRET ?? fallback() });
}

export const storageConfig = registerAs('storage', () => storageEnvFrom());
