import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUrl, Max, Min } from 'class-validator';
import { EnvBoolean, LOG_LEVELS, validateEnv } from '@app/config';

export class AppEnv {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65_535)
  PORT = 3000;

  /** Base of absolute URLs (`next`, `fileUrl`…); without it they come from the request's own host. */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  PUBLIC_URL?: string = undefined;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  API_WORKERS = 1;

  /** Trust X-Forwarded-For only behind a proxy we run; otherwise a client could pick its own IP. */
  @EnvBoolean()
  @IsIn([true, false], { message: 'must be true or false' })
  TRUST_PROXY = false;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL = 'info';

  @Type(() => Number)
  @IsInt()
  @Min(1_024)
  BODY_LIMIT_BYTES = 1_048_576;
}

export const appConfig = registerAs('app', () => validateEnv(AppEnv));
