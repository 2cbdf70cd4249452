import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsUrl, Matches, Max, Min } from 'class-validator';
import { EnvBoolean, validateEnv } from '@app/config';

export class CacheEnv {
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true })
  REDIS_URL = 'redis://127.0.0.1:6379/0';

  /** Prefix of every Redis key we write, so two stacks sharing a Redis never see each other's keys. */
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 characters of A-Z a-z 0-9 _ . -' })
  CACHE_NAMESPACE = 'scoopadive';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  CACHE_TTL_SECONDS = 60;

  /** Off: every view is computed from Postgres (benchmarks measure the uncached path this way). */
  @EnvBoolean()
  @IsBoolean()
  CACHE_RESPONSES = true;

  /**
   * Bytes of cached view bodies each process also keeps in memory, by the same keys (0: none). A hit
   * then costs no Redis round trip at all: the generation comes from the GenerationListener, which
   * hears every bump over pub/sub, and the body from memory (54 KB for the likes list).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  CACHE_LOCAL_MAX_BYTES = 64 * 1024 * 1024;

  /**
   * Largest body one cached view may store: a bigger one is served but not cached, so that no single
   * view can take a large share of Redis's maxmemory (and of every API process's local copy).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  CACHE_MAX_ENTRY_BYTES = 2 * 1024 * 1024;

  /** Redis silent this long is treated as down (see RedisBreaker): requests go on to Postgres. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(5_000)
  REDIS_COMMAND_TIMEOUT_MS = 250;
}

export const cacheConfig = registerAs('cache', () => validateEnv(CacheEnv));
