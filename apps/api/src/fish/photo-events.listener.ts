import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CacheKeys, RedisSubscriber } from '@app/cache';

/**
 * Wakes requests waiting for a recognition (`Prefer: wait=N`) when the consumer announces, on a Redis
 * channel, the photos it has just committed. Only a wake-up: waiters re-read Postgres, and also
 * poll it now and then, so a lost message or a Redis outage costs latency, never a wrong answer.
 */
@Injectable()
export class PhotoEventsListener implements OnModuleInit {
  private readonly waiters = new Map<number, Set<() => void>>();
  private readonly announced: Array<(photoIds: number[]) => void> = [];

  constructor(
    private readonly subscriber: RedisSubscriber,
    private readonly keys: CacheKeys,
  ) {}

  onModuleInit(): void {
    this.subscriber.listen(this.keys.photoEvents(), (message) => this.wake(message));
  }

  /** Calls `listener` with the photo ids of every announcement, after the waiters are woken. */
  onAnnouncement(listener: (photoIds: number[]) => void): void {
    this.announced.push(listener);
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
    const ids = message.split(',').map(Number);
    // Each waiter deletes itself from the set as it runs, which iterating a Set allows.
    for (const id of ids) for (const done of this.waiters.get(id) ?? []) done();
    for (const listener of this.announced) listener(ids);
  }
}
