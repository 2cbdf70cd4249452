import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { EnvBoolean, EnvError, validateEnv } from '@app/config';

/**
 * The SMTP server the consumer sends mail through. The defaults point at the local sink `npm start`
 * runs when no SMTP server is configured; production must name a real one.
 */
export class MailEnv {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(253)
  SMTP_HOST?: string = undefined;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65_535)
  SMTP_PORT = 1025;

  /** TLS from the first byte (port 465); otherwise STARTTLS is used whenever the server offers it. */
  @EnvBoolean()
  @IsIn([true, false], { message: 'must be true or false' })
  SMTP_SECURE = false;

  /** Refuse to send over a connection that did not upgrade to TLS (for a server that must offer STARTTLS). */
  @EnvBoolean()
  @IsIn([true, false], { message: 'must be true or false' })
  SMTP_REQUIRE_TLS = false;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  SMTP_USER?: string = undefined;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  SMTP_PASSWORD?: string = undefined;

  /** The sender address of every mail. */
  @IsEmail({ require_tld: false, allow_display_name: true }, { message: 'must be an e-mail address, optionally with a display name' })
  MAIL_FROM = 'ScoopADive <no-reply@scoopadive.local>';

  /** Bound on connecting, the greeting and each socket read while sending. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  SMTP_TIMEOUT_MS = 10_000;

  /** Mails being sent (or waiting to be retried) at once: the mail queue's prefetch. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  MAIL_CONCURRENCY = 8;

  /** Tries per mail while the SMTP server is away or answers 4xx; after the last one it is dead-lettered. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  MAIL_SEND_ATTEMPTS = 10;

  /** Backoff between tries: doubling from this, with jitter, capped by MAIL_RETRY_MAX_MS. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(600_000)
  MAIL_RETRY_BASE_MS = 1_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  MAIL_RETRY_MAX_MS = 120_000;
}

/** Validated mail settings, with the checks that involve more than one variable. */
export function mailEnvFrom(source: NodeJS.ProcessEnv = process.env): MailEnv & { SMTP_HOST: string } {
  const env = validateEnv(MailEnv, source);
  if (!env.SMTP_HOST && source.NODE_ENV === 'production')
    throw new EnvError('Config error: SMTP_HOST is required when NODE_ENV=production');
  if (!env.SMTP_USER !== !env.SMTP_PASSWORD) throw new EnvError('Config error: SMTP_USER and SMTP_PASSWORD must be set together');
  return Object.assign(env, { SMTP_HOST: env.SMTP_HOST ?? '127.0.0.1' });
}

export const mailConfig = registerAs('mail', () => mailEnvFrom());
