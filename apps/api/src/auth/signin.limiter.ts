import { Inject, Injectable } from '@nestjs/common';
import { type Limit, LimitExceeded, RateLimits } from '../limits/rate-limits.js';
import { authConfig, type AuthEnv } from './auth.config.js';

/** Who is signing in: the account named, the client's address and, when it has one, its device id. */
export interface SigninAttempt {
  ip: string;
  account: string;
  /** From a valid device cookie of this account: the client signed in to it before. */
  device?: string;
}

/**
 * Sign-in brute-force protection (rate-limiter-flexible's login recipe with OWASP's device cookies).
 * The tight failure limit counts per (account, address), or per device for a client with a device
 * cookie, so a stranger's wrong passwords lock out only the stranger. The per-account limit is high and
 * long, reached only by an attack spread over many addresses, and never holds a known device. Failures
 * per address and all attempts per address are counted too.
 */
const perMinute = (points: number) => ({ points, durationSeconds: 60 });

@Injectable()
export class SigninLimiter {
  private readonly attemptsByIp: Limit;
  private readonly failuresByIp: Limit;
  private readonly failuresByAccountIp: Limit;
  private readonly failuresByDevice: Limit;
  private readonly failuresByAccount: Limit;
  private readonly signupsByIp: Limit;

  constructor(rates: RateLimits, @Inject(authConfig.KEY) env: AuthEnv) {
    this.attemptsByIp = rates.create('signin-ip', perMinute(env.SIGNIN_MAX_PER_IP));
    this.failuresByIp = rates.create('signin-fail-ip', perMinute(env.SIGNIN_MAX_FAILURES_IP));
    this.failuresByAccountIp = rates.create('signin-fail-account-ip', perMinute(env.SIGNIN_MAX_FAILURES_ACCOUNT));
    this.failuresByDevice = rates.create('signin-fail-device', perMinute(env.SIGNIN_MAX_FAILURES_ACCOUNT));
    this.failuresByAccount = rates.create('signin-fail-account', {
      points: env.SIGNIN_MAX_FAILURES_ACCOUNT_TOTAL,
      durationSeconds: env.SIGNIN_ACCOUNT_WINDOW_SECONDS,
    });
    this.signupsByIp = rates.create('signup-ip', { points: env.SIGNUP_MAX_PER_IP, durationSeconds: 3_600 });
  }

  /**
   * Counts this attempt before the password is checked, as a failure in advance: parallel attempts
   * then cannot all pass the check before any failure is recorded. Returns the seconds to wait when
   * the caller is held, else 0. `succeeded` gives the advance back.
   */
  async admit(attempt: SigninAttempt): Promise<number> {
    return waitOf(async () => {
      for (const [limit, key] of this.counted(attempt)) await limit.consume(key);
    });
  }

  /** A correct password clears the tight count and gives back the advance on the others. */
  async succeeded(attempt: SigninAttempt): Promise<void> {
    const [, [tight, tightKey], ...rest] = this.counted(attempt);
    await Promise.all([tight.delete(tightKey), ...rest.map(([limit, key]) => limit.reward(key))]);
  }

  /** Counts a sign-up from `ip`; the seconds to wait when the address made too many, else 0. */
  async admitSignup(ip: string): Promise<number> {
    return waitOf(() => this.signupsByIp.consume(ip));
  }

  /** The counters one attempt spends, in the order they are checked: all attempts of the address first. */
  private counted({ ip, account, device }: SigninAttempt): Array<[Limit, string]> {
    return [
      [this.attemptsByIp, ip],
      device ? [this.failuresByDevice, device] : [this.failuresByAccountIp, `${account}|${ip}`],
      [this.failuresByIp, ip],
      ...(device ? [] : [[this.failuresByAccount, account] as [Limit, string]]),
    ];
  }
}

async function waitOf(count: () => Promise<void>): Promise<number> {
  try {
    await count();
    return 0;
  } catch (err) {
    if (err instanceof LimitExceeded) return err.retryAfterSeconds;
    throw err;
  }
}
