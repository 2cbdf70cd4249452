import { Inject, Injectable, Logger } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { CacheKeys, REDIS_CLIENT, RedisBreaker, type RedisClient } from '@app/cache';
import { authConfig, type AuthEnv } from './auth.config.js';

/** A Redis limiter shared by every API process, and a per-process one used while Redis is unreachable. */
interface Limiter {
  redis: RateLimiterAbstract;
  memory: RateLimiterAbstract;
}

/**
 * Sign-in brute-force protection (rate-limiter-flexible's login recipe): failures are counted per
 * account and per IP over a minute, and all attempts per IP with a much higher ceiling. Successful
 * sign-ins reset their account's failures.
 */
@Injectable()
export class SigninLimiter {
  private readonly logger = new Logger(SigninLimiter.name);
  private readonly attemptsByIp: Limiter;
  private readonly failuresByIp: Limiter;
  private readonly failuresByAccount: Limiter;

  constructor(
    @Inject(REDIS_CLIENT) client: RedisClient,
    @Inject(authConfig.KEY) env: AuthEnv,
    keys: CacheKeys,
    private readonly breaker: RedisBreaker,
  ) {
    const make = (name: string, points: number): Limiter => ({
      redis: new RateLimiterRedis({
        storeClient: client,
        useRedisPackage: true,
        rejectIfRedisNotReady: true,
        keyPrefix: keys.rateLimit(name),
        points,
        duration: 60,
      }),
      memory: new RateLimiterMemory({ keyPrefix: name, points, duration: 60 }),
    });
    this.attemptsByIp = make('signin-ip', env.SIGNIN_MAX_PER_IP);
    this.failuresByIp = make('signin-fail-ip', env.SIGNIN_MAX_FAILURES_IP);
    this.failuresByAccount = make('signin-fail-account', env.SIGNIN_MAX_FAILURES_ACCOUNT);
  }

  /**
   * Counts this attempt before the password is checked, as a failure in advance: parallel attempts
   * then cannot all pass the check before any failure is recorded. Returns the seconds to wait when
   * the caller is locked out, else 0. `succeeded` gives the advance back.
   */
  async admit(ip: string, account: string): Promise<number> {
    for (const [limiter, key] of [
      [this.attemptsByIp, ip],
      [this.failuresByAccount, account],
      [this.failuresByIp, ip],
    ] as const) {
      try {
        await this.run(limiter, (l) => l.consume(key));
      } catch (res) {
        if (res instanceof RateLimiterRes) return seconds(res);
        throw res;
      }
    }
    return 0;
  }

  /** A correct password clears its account's failures and returns the IP's advance. */
  async succeeded(ip: string, account: string): Promise<void> {
    await Promise.all([this.run(this.failuresByAccount, (l) => l.delete(account)), this.run(this.failuresByIp, (l) => l.reward(ip))]);
  }

  private async run<T>(limiter: Limiter, op: (l: RateLimiterAbstract) => Promise<T>): Promise<T> {
    try {
      return await this.breaker.run('rate limiter', () => op(limiter.redis));
    } catch (err) {
      if (err instanceof RateLimiterRes) throw err;
      this.logger.warn(`rate limiter on Redis unavailable, using the in-process one: ${(err as Error).message}`);
      return op(limiter.memory);
    }
  }
}

function seconds(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}
