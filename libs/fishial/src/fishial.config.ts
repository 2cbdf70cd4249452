import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { validateEnv } from '@app/config';

const URL_OPTIONS = { protocols: ['http', 'https'], require_tld: false, require_protocol: true };

/** Defaults point at apps/fishial-fake on this machine; set all four for the real service. */
export class FishialEnv {
  @IsUrl(URL_OPTIONS)
  FISHIAL_AUTH_URL = 'http://127.0.0.1:3100/v1/auth/token';

  @IsUrl(URL_OPTIONS)
  FISHIAL_API_URL = 'http://127.0.0.1:3100/v1';

  @IsString()
  @MinLength(1)
  FISHIAL_CLIENT_ID = 'fake-client-id';

  @IsString()
  @MinLength(1)
  FISHIAL_CLIENT_SECRET = 'fake-client-secret';

  /** Hosts a direct-upload URL may point at; default storage.googleapis.com and the API's host. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9.-]+(:\d+)?(\s*,\s*[A-Za-z0-9.-]+(:\d+)?)*$/, { message: 'must be a comma-separated list of host names' })
  FISHIAL_UPLOAD_HOSTS?: string = undefined;

  /** Bound on each call to Fishial (connect to last byte). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  FISHIAL_TIMEOUT_MS = 10_000;
}

export const fishialConfig = registerAs('fishial', () => validateEnv(FishialEnv));

export function uploadHosts(env: FishialEnv): Set<string> {
  const listed = env.FISHIAL_UPLOAD_HOSTS?.split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return new Set(listed?.length ? listed : ['storage.googleapis.com', new URL(env.FISHIAL_API_URL).host.toLowerCase()]);
}
