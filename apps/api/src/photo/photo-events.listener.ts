import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CacheKeys, REDIS_CLIENT, type RedisClient } from '@app/cache';

/**
 * Wakes requests waiting for a recognition (`Prefer: wait=N`) when the consumer announces, on a Redis
 * channel, the photos it has just committed. Only a wake-up: waiters re-read Postgres, and also
 * poll it now and then, so a lost message or a Redis outage costs latency, never a wrong answer.
 */
@Injectable()
export class PhotoEventsListener implements OnModuleInit, OnApplicationShutdown {
  private subscriber: RedisClient | undefined;
  private readonly waiters = new Map<number, Set<() => void>>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly keys: CacheKeys,
  ) {}

  onModuleInit(): void {
    // Pub/sub needs a connection of its own; it resubscribes by itself after a reconnect.
    const subscriber = (this.subscriber = this.redis.duplicate());
    subscriber.on('error', () => undefined); // the main client already reports Redis trouble
    void subscriber
      .connect()
      .then(() => subscriber.subscribe(this.keys.photoEvents(), (message) => this.wake(message)))
      .catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.subscriber?.isOpen) await this.subscriber.disconnect().catch(() => undefined);
  }

  /** Resolves at the next announcement about this photo, or after `ms`. */
  next(photoId: number, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(photoId) ?? new Set();
      this.waiters.set(photoId, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(photoId);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      set.add(done);
    });
  }

  private wake(message: string): void {
    for (const id of message.split(',')) for (const done of [...(this.waiters.get(Number(id)) ?? [])]) done();
  }
}
