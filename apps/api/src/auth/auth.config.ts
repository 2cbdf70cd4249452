import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { EnvBoolean, EnvError, localSecret, validateEnv } from '@app/config';

/**
 * OWASP's argon2id minimums (Password Storage Cheat Sheet), equivalent to each other: passes → the
 * least memory in KiB. More than 5 passes still need the memory of 5.
 */
export const ARGON2_OWASP_MIN_KIB: Readonly<Record<number, number>> = { 1: 47_104, 2: 19_456, 3: 12_288, 4: 9_216, 5: 7_168 };

export class AuthEnv {
  /** Required in production; elsewhere, when unset, a key generated once and kept in SECRETS_DIR. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string = undefined;

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

  /** Failed sign-ins per minute for one account from one address (or one known device). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SIGNIN_MAX_FAILURES_ACCOUNT = 5;

  /** Failed sign-ins per minute from one address, whatever the accounts. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SIGNIN_MAX_FAILURES_IP = 20;

  /**
   * Failed sign-ins for one account from all addresses per SIGNIN_ACCOUNT_WINDOW_SECONDS: only an
   * attack spread over many addresses reaches it, and clients with a device cookie are not held by it.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SIGNIN_MAX_FAILURES_ACCOUNT_TOTAL = 100;

  @Type(() => Number)
  @IsInt()
  @Min(60)
  SIGNIN_ACCOUNT_WINDOW_SECONDS = 900;

  /** Sign-ups per address per hour. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SIGNUP_MAX_PER_IP = 20;

  /** All sign-in attempts per IP per minute, successful ones included. */
  @Type(() => Number)
  @IsInt()
  @Min(600)
  SIGNIN_MAX_PER_IP = 600;

  /**
   * argon2id cost, one lane. OWASP lists five equivalent minimums, from 46 MiB × 1 pass to 7 MiB × 5
   * passes; the default is the last: it stays in this machine's caches and verifies ~30 % faster than
   * 19 MiB × 2 (95 vs 72 per second on 2 cores, bench/analysis.md). A pair below OWASP's for its pass
   * count is refused at boot.
   */
  @Type(() => Number)
  @IsInt()
  @Min(ARGON2_OWASP_MIN_KIB[5])
  ARGON2_MEMORY_KIB = ARGON2_OWASP_MIN_KIB[5];

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  ARGON2_TIME_COST = 5;
}

/** Validated auth settings from `source`, with the checks that involve more than one variable. */
export function authEnvFrom(source: NodeJS.ProcessEnv = process.env): AuthEnv & { JWT_SECRET: string } {
  const env = validateEnv(AuthEnv, source);
  const floor = ARGON2_OWASP_MIN_KIB[Math.min(env.ARGON2_TIME_COST, 5)];
  if (env.ARGON2_MEMORY_KIB < floor) {
    throw new EnvError(
      `Config error: ARGON2_MEMORY_KIB=${env.ARGON2_MEMORY_KIB} is below OWASP's minimum of ${floor} KiB for ARGON2_TIME_COST=${env.ARGON2_TIME_COST}`,
    );
  }
  return Object.assign(env, { JWT_SECRET: env.JWT_SECRET ?? localSecret('JWT_SECRET', source) });
}

export const authConfig = registerAs('auth', () => authEnvFrom());
