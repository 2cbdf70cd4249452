import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { EnvBoolean, EnvError, validateEnv } from '@app/config';

const DEV_SECRET = 'scoopadive-dev-secret-change-me-in-production-0000';

export class AuthEnv {
  /** Required in production; development falls back to a fixed, public dev secret. */
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET = DEV_SECRET;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  JWT_ACCESS_TTL = 300;

  @Type(() => Number)
  @IsInt()
  @Min(60)
  JWT_REFRESH_TTL = 86_400;

  @IsString()
  JWT_ISSUER = 'scoopadive';

  @IsString()
  JWT_AUDIENCE = 'scoopadive-api';

  /** Off by default: the original client keeps its first refresh token for the whole day. */
  @EnvBoolean()
  @IsIn([true, false], { message: 'must be true or false' })
  JWT_REFRESH_ROTATION = false;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  SIGNIN_MAX_FAILURES_ACCOUNT = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  SIGNIN_MAX_FAILURES_IP = 20;

  /** All sign-in attempts per IP per minute, successful ones included. */
  @Type(() => Number)
  @IsInt()
  @Min(600)
  SIGNIN_MAX_PER_IP = 600;

  /** argon2id cost; the defaults are OWASP's minimum (19 MiB, 2 passes, 1 lane). */
  @Type(() => Number)
  @IsInt()
  @Min(19_456)
  ARGON2_MEMORY_KIB = 19_456;

  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(10)
  ARGON2_TIME_COST = 2;
}

export const authConfig = registerAs('auth', () => {
  const env = validateEnv(AuthEnv);
  if (process.env.NODE_ENV === 'production' && env.JWT_SECRET === DEV_SECRET) {
    throw new EnvError('Config error: JWT_SECRET is required when NODE_ENV=production');
  }
  return env;
});
