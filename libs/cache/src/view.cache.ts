import { Inject, Injectable, Logger } from '@nestjs/common';
import { commandOptions } from '@redis/client';
import { createHash } from 'node:crypto';
import { cacheConfig, type CacheEnv } from './cache.config.js';
import { CacheKeys, type ViewFamily } from './cache-keys.js';
import { REDIS_CLIENT, type RedisClient } from './redis.provider.js';
import { RedisBreaker } from './redis.breaker.js';

export interface CachedBody {
  etag: string;
  body: Buffer;
}

const GENERATION_TTL_SECONDS = 7 * 86_400;
const NEWLINE = 0x0a;

/**
 * Serialized response bodies in Redis, stored and served as bytes: a hit costs no JSON parse or
 * stringify (dataset v1's likes list is ~54 KB). It talks to the shared node-redis client directly
 * because cache-manager's Redis store JSON-encodes every value. Stored as `<etag>\n<body>` so one GET
 * brings both. Every call is bounded by the RedisBreaker and never throws: a Redis that is
 * down or hung means "no cache" and the request goes on to Postgres.
 */
@Injectable()
export class ViewCache {
  private readonly logger = new Logger(ViewCache.name);

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(cacheConfig.KEY) private readonly env: CacheEnv,
    private readonly keys: CacheKeys,
    private readonly breaker: RedisBreaker,
  ) {}

  get enabled(): boolean {
    return this.env.CACHE_RESPONSES;
  }

  /** The current views generation; undefined when Redis cannot say, which disables caching. */
  async generation(family: ViewFamily): Promise<number | undefined> {
    const value = await this.bounded('get generation', () => this.redis.get(this.keys.viewsGeneration(family)));
    if (value === undefined) return undefined;
    return value === null ? 0 : Number(value);
  }

  /** After a commit: every view cached so far is stale. Retried briefly; past that the TTL bounds it. */
  async bump(family: ViewFamily): Promise<boolean> {
    const key = this.keys.viewsGeneration(family);
    for (let attempt = 0; attempt < 3; attempt++) {
      const done = await this.bounded('bump generation', () =>
        this.redis.multi().incr(key).expire(key, GENERATION_TTL_SECONDS).exec(),
      );
      if (done !== undefined) return true;
    }
    return false;
  }

  async get(key: string): Promise<CachedBody | undefined> {
    const raw = await this.bounded('get', () => this.redis.get(commandOptions({ returnBuffers: true }), key));
    if (!raw) return undefined;
    const cut = raw.indexOf(NEWLINE);
    if (cut <= 0) return undefined;
    return { etag: raw.toString('latin1', 0, cut), body: raw.subarray(cut + 1) };
  }

  /** Stores with the configured TTL; resolves when done, but callers need not wait. */
  async set(key: string, entry: CachedBody): Promise<void> {
    const value = Buffer.concat([Buffer.from(`${entry.etag}\n`, 'latin1'), entry.body]);
    await this.bounded('set', () => this.redis.set(key, value, { EX: this.env.CACHE_TTL_SECONDS }));
  }

  static etagOf(body: Buffer | string): string {
    return `"${createHash('sha1').update(body).digest('base64url')}"`;
  }

  private async bounded<R>(op: string, run: () => Promise<R>): Promise<R | undefined> {
    if (!this.breaker.available) return undefined;
    try {
      return await this.breaker.run(`view cache ${op}`, run);
    } catch (err) {
      this.logger.warn(`view cache ${op} failed: ${(err as Error).message}`);
      return undefined;
    }
  }
}
