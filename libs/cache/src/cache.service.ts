import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { cacheConfig, type CacheEnv } from './cache.config.js';
import { RedisBreaker } from './redis.breaker.js';

/**
 * The cache as the application sees it: every call is bounded by the RedisBreaker and never
 * throws, so a down or hung Redis turns into cache misses and requests go on to Postgres.
 */
@Injectable()
export class CacheService {
  private readonly logger = new Logger(CacheService.name);

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(cacheConfig.KEY) private readonly env: CacheEnv,
    private readonly breaker: RedisBreaker,
  ) {}

  get ttlMs(): number {
    return this.env.CACHE_TTL_SECONDS * 1000;
  }

  async get<T>(key: string): Promise<T | undefined> {
    return this.bounded('get', () => this.cache.get<T>(key), undefined);
  }

  /** Every key gets a TTL: the default one unless the caller gives its own. */
  async set<T>(key: string, value: T, ttlMs = this.ttlMs): Promise<void> {
    await this.bounded('set', () => this.cache.set(key, value, ttlMs), undefined);
  }

  async del(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.bounded('del', () => this.cache.mdel(keys), undefined);
  }

  private async bounded<R, F>(op: string, run: () => Promise<R>, fallback: F): Promise<R | F> {
    try {
      return await this.breaker.run(`cache ${op}`, run);
    } catch (err) {
      this.logger.warn(`cache ${op} failed: ${(err as Error).message}`);
      return fallback;
    }
  }
}
