import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { validateEnv } from '@app/config';

/** Password reset by e-mailed code. The counters live in the shared rate-limit store, as sign-in's do. */
export class PasswordResetEnv {
  /** How long an e-mailed code can be verified. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  PASSWORD_RESET_CODE_TTL_SECONDS = 900;

  /** Wrong codes after which a code is dead (a new request issues another). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  PASSWORD_RESET_MAX_ATTEMPTS = 5;

  /** How long the proof cookie a verified code earns can confirm the new password. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3_600)
  PASSWORD_RESET_PROOF_TTL_SECONDS = 600;

  /** Codes requested for one address per window, whether or not it has an account. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  PASSWORD_RESET_MAX_PER_EMAIL = 3;

  /** Codes requested from one client address per window, whatever the e-mail addresses. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  PASSWORD_RESET_MAX_PER_IP = 10;

  /** Verify and confirm calls from one client address per window (each code has its own attempt limit too). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  PASSWORD_RESET_MAX_CHECKS_PER_IP = 30;

  @Type(() => Number)
  @IsInt()
  @Min(60)
  PASSWORD_RESET_WINDOW_SECONDS = 3_600;
}

export const passwordResetConfig = registerAs('passwordReset', () => validateEnv(PasswordResetEnv));
