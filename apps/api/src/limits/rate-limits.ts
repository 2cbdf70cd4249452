import { Inject, Injectable, Logger } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { CacheKeys, REDIS_CLIENT, RedisBreaker, type RedisClient } from '@app/cache';

/** How many points one subject may spend per window. */
export interface LimitRule {
  points: number;
  durationSeconds: number;
}

/** A counter over a window: consume throws Exceeded with the wait when the subject has no points left. */
export interface Limit {
  consume(key: string, points?: number): Promise<void>;
  reward(key: string, points?: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A limit was reached; `retryAfterSeconds` is when its window gives points back. */
export class LimitExceeded extends Error {
  override name = 'LimitExceeded';
  constructor(readonly retryAfterSeconds: number) {
    super(`limit exceeded, retry after ${retryAfterSeconds} s`);
  }
}

/**
 * Every rate limit and quota of the API: a rate-limiter-flexible counter on Redis, shared by every API
 * process, paired with a per-process one used while Redis is down or hung (RedisBreaker), so that a
 * Redis outage loosens limits to one process's view instead of lifting them or failing requests.
 * Keys live under CacheKeys.rateLimit(name), so the namespace rule holds for counters too.
 */
@Injectable()
export class RateLimits {
  private readonly logger = new Logger(RateLimits.name);

  constructor(
    @Inject(REDIS_CLIENT) private readonly client: RedisClient,
    private readonly keys: CacheKeys,
    private readonly breaker: RedisBreaker,
  ) {}

  create(name: string, rule: LimitRule): Limit {
    const redis = new RateLimiterRedis({
      storeClient: this.client,
      useRedisPackage: true,
      rejectIfRedisNotReady: true,
      keyPrefix: this.keys.rateLimit(name),
      points: rule.points,
      duration: rule.durationSeconds,
    });
    const memory = new RateLimiterMemory({ keyPrefix: name, points: rule.points, duration: rule.durationSeconds });
    const run = async <T>(op: (l: RateLimiterAbstract) => Promise<T>): Promise<T> => {
      try {
        return await this.breaker.run('rate limiter', () => op(redis));
      } catch (err) {
        if (err instanceof RateLimiterRes) throw err;
        this.logger.warn(`rate limiter on Redis unavailable, using the in-process one: ${(err as Error).message}`);
        return op(memory);
      }
    };
    return {
      consume: async (key, points = 1) => {
        try {
          await run((l) => l.consume(key, points));
        } catch (res) {
          if (res instanceof RateLimiterRes) throw new LimitExceeded(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
          throw res;
        }
      },
      reward: async (key, points = 1) => {
        await run((l) => l.reward(key, points));
      },
      delete: async (key) => {
        await run((l) => l.delete(key));
      },
    };
  }
}
