import { Inject, Injectable, Logger } from '@nestjs/common';
import { commandOptions } from '@redis/client';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { cacheConfig, type CacheEnv } from './cache.config.js';
import { CacheKeys, type ViewFamily } from './cache-keys.js';
import { GenerationListener } from './generation.listener.js';
import { REDIS_CLIENT, type RedisClient } from './redis.provider.js';
import { RedisBreaker } from './redis.breaker.js';

export interface CachedBody {
  etag: string;
  body: Buffer;
  /** For a view that shows the likes of a few logbooks: what it was built from (see ViewCache.lookup). */
  likes?: LikesShown;
}

/** The `likes` generation a body was built under and the logbooks whose likes it shows (all when undefined). */
export interface LikesShown {
  generation: number;
  logbooks?: readonly number[];
}

const GENERATION_TTL_SECONDS = 7 * 86_400;

/**
 * A generation is never handed out twice. One that Redis lost (a restart without persistence, a
 * flush, a failover, its TTL) starts again from the clock, above every number used before; counting
 * from 0 again would reuse numbers under which processes still hold bodies in memory, and serve
 * pre-write bodies after a successful bump. Microseconds: bumps would have to outrun 1,000 per ms.
 */
const freshGeneration = () => Date.now() * 1000;
/**
 * Bumps, announces `<family> <generation>[ <ARGV[5]>]` on ARGV[3] and returns the generation (as a
 * string: Lua would print it as a float).
 */
const BUMP_SCRIPT = `
  if redis.call('EXISTS', KEYS[1]) == 1 then
    redis.call('INCR', KEYS[1])
  else
    redis.call('SET', KEYS[1], ARGV[1])
  end
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  local generation = redis.call('GET', KEYS[1])
  local tail = ARGV[5] and (' ' .. ARGV[5]) or ''
  redis.call('PUBLISH', ARGV[3], ARGV[4] .. ' ' .. generation .. tail)
  return generation`;
const NEWLINE = 0x0a;

/**
 * Bumps one family's views generation and announces it; returns the new generation. Every writer
 * bumps through this (the apps through ViewCache.bump, the seed script directly), so none can reuse a
 * generation or leave running processes unaware of it.
 */
export async function bumpViewGeneration(
  redis: RedisClient,
  keys: CacheKeys,
  family: ViewFamily,
  logbooks: readonly number[] = [],
): Promise<number> {
  const announce = [keys.viewGenerations(), family, ...(logbooks.length ? [logbooks.join(',')] : [])];
  const made = await redis.eval(BUMP_SCRIPT, {
    keys: [keys.viewsGeneration(family)],
    arguments: [String(freshGeneration()), String(GENERATION_TTL_SECONDS), ...announce],
  });
  return Number(made);
}

/**
 * Serialized response bodies in Redis, stored and served as bytes: a hit costs no JSON parse or
 * stringify (dataset v1's likes list is ~60 KB). It talks to the shared node-redis client directly
 * because cache-manager's Redis store JSON-encodes every value. Stored as `<etag> <expiry ms>[ <likes
 * generation> <logbook ids|*>]\n<body>` so one GET brings it all. Every call is bounded by the RedisBreaker and never throws: a Redis that
 * is down or hung means "no cache" and the request goes on to Postgres.
 *
 * Bodies are also kept in process memory (CACHE_LOCAL_MAX_BYTES) under the same keys. A key names one
 * generation, so a bump makes its local copy unreachable exactly as it does the Redis one; a local copy
 * expires with the Redis entry it came from (hence the expiry in the value), so no copy outlives the TTL;
 * and the generation comes from Redis: announced to the GenerationListener, or read when it cannot
 * vouch for what it holds, so without Redis there is no cache at all.
 */
@Injectable()
export class ViewCache {
  private readonly logger = new Logger(ViewCache.name);
  private readonly local?: LRUCache<string, CachedBody>;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(cacheConfig.KEY) private readonly env: CacheEnv,
    private readonly keys: CacheKeys,
    private readonly breaker: RedisBreaker,
    private readonly announced: GenerationListener,
  ) {
    if (env.CACHE_LOCAL_MAX_BYTES > 0) {
      this.local = new LRUCache({ maxSize: env.CACHE_LOCAL_MAX_BYTES, sizeCalculation: (entry) => entry.body.length + 64 });
    }
  }

  get enabled(): boolean {
    return this.env.CACHE_RESPONSES;
  }

  /** The current views generation; undefined when Redis cannot say, which disables caching. */
  async generation(family: ViewFamily): Promise<number | undefined> {
    const near = this.announced.current(family);
    if (near !== undefined) return near;
    const read = await this.readGeneration(family);
    if (read !== undefined) this.announced.learn(family, read);
    return read;
  }

  /** The generation this process can vouch for without asking Redis; undefined when it cannot. */
  generationNear(family: ViewFamily): number | undefined {
    return this.announced.current(family);
  }

  private async readGeneration(family: ViewFamily): Promise<number | undefined> {
    const key = this.keys.viewsGeneration(family);
    const value = await this.bounded('get generation', () => this.redis.get(key));
    if (value === undefined) return undefined;
    if (value !== null) return Number(value);
    // Lost or never set: seed it, unless another process just did (NX … GET answers theirs).
    const seed = freshGeneration();
    const held = await this.bounded('seed generation', () =>
      this.redis.set(key, String(seed), { NX: true, GET: true, EX: GENERATION_TTL_SECONDS }),
    );
    if (held === undefined) return undefined;
    return held === null ? seed : Number(held);
  }

  /** After a commit: every view cached so far is stale. Retried briefly; past that the TTL bounds it. */
  async bump(family: ViewFamily): Promise<boolean> {
    return this.bumpAnnouncing(family, []);
  }

  /**
   * After a like batch's commit: views keyed by the `likes` family are stale, and so are those that
   * show the likes of one of `logbooks` (checked on every hit against the announcement).
   */
  async bumpLikes(logbooks: readonly number[]): Promise<boolean> {
    return this.bumpAnnouncing('likes', logbooks);
  }

  private async bumpAnnouncing(family: ViewFamily, logbooks: readonly number[]): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const made = await this.bounded('bump generation', () => bumpViewGeneration(this.redis, this.keys, family, logbooks));
      if (made !== undefined) {
        // This process reads its own writes at once, without waiting for the announcement.
        if (family === 'likes') this.announced.likesBumped(made, logbooks);
        else this.announced.learn(family, made);
        return true;
      }
    }
    return false;
  }

  /**
   * The current key of one view for one viewer, and its body when cached; undefined when Redis cannot
   * say what the generation of one of its families is (then nothing may be cached or served from the cache).
   *
   * `likesPerLogbook`: the view shows the likes of a few logbooks, and its key leaves the `likes`
   * family out. The `likes` generation is read before the body is built (`likesGeneration`, stored
   * with it), and a hit counts only while no like batch announced since has changed one of the
   * logbooks the body shows; a body that cannot be vouched for so (the subscription not trusted) is a
   * miss, which rebuilds and replaces it.
   */
  async lookup(
    families: readonly ViewFamily[],
    name: string,
    viewer: number,
    variant: string,
    likesPerLogbook = false,
  ): Promise<{ key: string; hit?: CachedBody; likesGeneration?: number } | undefined> {
    const generations = await Promise.all([...families, ...(likesPerLogbook ? ['likes' as const] : [])].map((f) => this.generation(f)));
    if (generations.some((generation) => generation === undefined)) return undefined;
    const key = this.keys.view(families, generations.slice(0, families.length) as number[], name, viewer, variant);
    if (!likesPerLogbook) return { key, hit: await this.get(key) };
    return { key, hit: await this.get(key, this.likesFresh), likesGeneration: generations[families.length] };
  }

  /**
   * lookup's hit answered from process memory alone, without a promise (a cached GET's await chain
   * was a tenth of its CPU): the body, or undefined when lookup has to be asked.
   */
  lookupNear(
    families: readonly ViewFamily[],
    name: string,
    viewer: number,
    variant: string,
    likesPerLogbook = false,
  ): CachedBody | undefined {
    const generations: number[] = [];
    for (const family of families) {
      const generation = this.announced.current(family);
      if (generation === undefined) return undefined;
      generations.push(generation);
    }
    const near = this.local?.get(this.keys.view(families, generations, name, viewer, variant));
    return near && (!likesPerLogbook || this.likesFresh(near)) ? near : undefined;
  }

  /** For a view that shows the likes of a few logbooks: no like batch changed them since the body was built. */
  private readonly likesFresh = (entry: CachedBody): boolean =>
    entry.likes !== undefined && this.announced.likesUnchangedSince(entry.likes.generation, entry.likes.logbooks);

  async get(key: string, fresh: (entry: CachedBody) => boolean = () => true): Promise<CachedBody | undefined> {
    const near = this.local?.get(key);
    if (near && fresh(near)) return near;
    const raw = await this.bounded('get', () => this.redis.get(commandOptions({ returnBuffers: true }), key));
    if (!raw) return undefined;
    const cut = raw.indexOf(NEWLINE);
    const [etag, expiry, generation, logbooks] = raw.toString('latin1', 0, Math.max(cut, 0)).split(' ');
    if (cut <= 0 || !etag) return undefined;
    const entry: CachedBody = { etag, body: raw.subarray(cut + 1) };
    if (generation)
      entry.likes = {
        generation: Number(generation),
        logbooks: logbooks === '*' ? undefined : logbooks.split(',').filter(Boolean).map(Number),
      };
    if (!fresh(entry)) return undefined;
    this.keepLocal(key, entry, Number(expiry) - Date.now());
    return entry;
  }

  /** Stores with the configured TTL (bodies up to CACHE_MAX_ENTRY_BYTES); resolves when done, but callers need not wait. */
  async set(key: string, entry: CachedBody): Promise<void> {
    if (entry.body.length > this.env.CACHE_MAX_ENTRY_BYTES) {
      this.logger.debug(`view cache: ${entry.body.length} bytes exceed CACHE_MAX_ENTRY_BYTES, not stored`);
      return;
    }
    const ttlMs = this.env.CACHE_TTL_SECONDS * 1000;
    const likes = entry.likes ? ` ${entry.likes.generation} ${entry.likes.logbooks?.join(',') ?? '*'}` : '';
    const value = Buffer.concat([Buffer.from(`${entry.etag} ${Date.now() + ttlMs}${likes}\n`, 'latin1'), entry.body]);
    const stored = await this.bounded('set', () => this.redis.set(key, value, { EX: this.env.CACHE_TTL_SECONDS }));
    if (stored !== undefined) this.keepLocal(key, entry, ttlMs);
  }

  private keepLocal(key: string, entry: CachedBody, ttlMs: number): void {
    // Values from before the expiry was stored have none: they are not kept (NaN fails the test).
    if (this.local && ttlMs > 0) this.local.set(key, entry, { ttl: Math.min(ttlMs, this.env.CACHE_TTL_SECONDS * 1000) });
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
