import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { cacheConfig, type CacheEnv } from './cache.config.js';
import { REDIS_CLIENT, type RedisClient } from './redis.provider.js';
import { TimeoutError, withTimeout } from './with-timeout.js';

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

const PROBE_EVERY_MS = 1_000;

/** Per process; over API workers the highest: any open breaker shows. */
const breakerOpen = new Gauge({
  name: 'redis_breaker_open',
  help: '1 while the Redis breaker is open (Redis silent past REDIS_COMMAND_TIMEOUT_MS, calls skip it), else 0',
  aggregator: 'max',
});

/**
 * Bounds every Redis call of the application by Redis's *silence*, not by the call's duration. A call
 * fails after REDIS_COMMAND_TIMEOUT_MS only if no reply at all came from Redis in that time: then Redis
 * is down or hung, the breaker opens, and until a probe PING is answered every call fails at once (the
 * request goes on to Postgres without waiting). A process merely saturated by its own load keeps
 * receiving replies, so its calls wait their turn instead of stampeding Postgres: a per-call timer
 * cannot tell the two apart, and under 1,000 connections it turned most cache hits into misses.
 */
@Injectable()
export class RedisBreaker implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisBreaker.name);
  private lastReplyAt = 0;
  private open = false;
  private probe: NodeJS.Timeout | undefined;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(cacheConfig.KEY) private readonly env: CacheEnv,
  ) {}

  get available(): boolean {
    return !this.open && this.redis.isReady;
  }

  async run<T>(what: string, call: () => Promise<T>): Promise<T> {
    if (!this.available) throw new RedisUnavailableError(`${what}: redis unavailable`);
    const ms = this.env.REDIS_COMMAND_TIMEOUT_MS;
    const work = call().finally(() => (this.lastReplyAt = Date.now()));
    let timer: NodeJS.Timeout | undefined;
    let turn: NodeJS.Immediate | undefined;
    const silence = new Promise<never>((_, reject) => {
      // Silence is counted only while this process could have heard a reply. The client writes its
      // commands when the loop reaches its check phase (setImmediate), and reads replies in the poll
      // phase, which comes after the timers: behind a loop held up for longer than `ms` (a burst of
      // requests, a long GC) the command has just gone out, or its reply waits unread in the socket,
      // and a plain timer would blame Redis for our own delay. So the clock starts when the command
      // is out (an immediate queued after the client's own), and the verdict waits for one more turn
      // of the loop, whose poll phase reads whatever reply has arrived.
      let sentAt = Number.POSITIVE_INFINITY;
      const silent = () => Date.now() - Math.max(this.lastReplyAt, sentAt) >= ms;
      const wait = () => (timer = setTimeout(check, Math.max(1, ms - (Date.now() - Math.max(this.lastReplyAt, sentAt)))));
      const check = () => {
        if (!silent()) return void wait();
        turn = setImmediate(() => {
          if (!silent()) return void wait();
          this.trip(what);
          reject(new TimeoutError(`${what}: no reply from redis for ${ms} ms`));
        });
      };
      turn = setImmediate(() => {
        sentAt = Date.now();
        wait();
      });
    });
    try {
      return await Promise.race([work, silence]);
    } finally {
      clearTimeout(timer);
      clearImmediate(turn);
    }
  }

  onApplicationShutdown(): void {
    clearTimeout(this.probe);
  }

  private trip(what: string): void {
    if (this.open) return;
    this.open = true;
    breakerOpen.set(1);
    this.logger.warn(`redis silent (${what}): skipping it until it answers a PING`);
    const probe = () => {
      this.probe = setTimeout(async () => {
        const ok = await withTimeout(this.redis.ping(), PROBE_EVERY_MS, 'redis probe').then(
          () => true,
          () => false,
        );
        if (!ok) return probe();
        this.lastReplyAt = Date.now();
        this.open = false;
        breakerOpen.set(0);
        this.logger.log('redis answers again');
      }, PROBE_EVERY_MS);
      this.probe.unref();
    };
    probe();
  }
}
