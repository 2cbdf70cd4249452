import { Inject, Injectable } from '@nestjs/common';
import { type Limit, LimitExceeded, RateLimits } from '../limits/rate-limits.js';
import { TooManyRequestsException } from '../limits/too-many-requests.exception.js';
import { passwordResetConfig, type PasswordResetEnv } from './password-reset.config.js';

/**
 * Counts reset requests per address and per client, and code checks per client, in the shared store.
 * The per-address count is the same whether or not the address has an account, so a 429 says nothing
 * about one; together with each code's own attempt limit it bounds guesses at any account's code.
 */
@Injectable()
export class PasswordResetLimiter {
  private readonly requestsByIp: Limit;
  private readonly requestsByEmail: Limit;
  private readonly checksByIp: Limit;

  constructor(rates: RateLimits, @Inject(passwordResetConfig.KEY) env: PasswordResetEnv) {
    const per = (points: number) => ({ points, durationSeconds: env.PASSWORD_RESET_WINDOW_SECONDS });
    this.requestsByIp = rates.create('reset-request-ip', per(env.PASSWORD_RESET_MAX_PER_IP));
    this.requestsByEmail = rates.create('reset-request-email', per(env.PASSWORD_RESET_MAX_PER_EMAIL));
    this.checksByIp = rates.create('reset-check-ip', per(env.PASSWORD_RESET_MAX_CHECKS_PER_IP));
  }

  /** The address first: a client over its own limit does not spend the named address's requests. */
  async admitRequest(ip: string, email: string): Promise<void> {
    await held(() => this.requestsByIp.consume(ip), 'Too many reset requests from this address.');
    await held(() => this.requestsByEmail.consume(email), 'Too many reset requests for this e-mail address.');
  }

  async admitCheck(ip: string): Promise<void> {
    await held(() => this.checksByIp.consume(ip), 'Too many reset attempts from this address.');
  }
}

async function held(count: () => Promise<void>, text: string): Promise<void> {
  try {
    await count();
  } catch (err) {
    if (!(err instanceof LimitExceeded)) throw err;
    const wait = err.retryAfterSeconds;
    throw new ResetThrottled(wait, `${text} Try again in ${wait} seconds.`);
  }
}

/** A 429 whose body also has `message`, the field the client shows. */
export class ResetThrottled extends TooManyRequestsException {
  constructor(retryAfterSeconds: number, text: string) {
    super(retryAfterSeconds, text);
    Object.assign(this.getResponse() as object, { message: text });
  }
}
