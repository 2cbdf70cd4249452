import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CacheKeys, RedisSubscriber } from '@app/cache';
import { IdWaiters } from '../common/id-waiters.js';

/**
 * Wakes requests waiting for a recognition (`Prefer: wait=N`) when the consumer announces, on a Redis
 * channel, the photos it has just committed. Only a wake-up: waiters re-read Postgres, and also
 * poll it now and then, so a lost message or a Redis outage costs latency, never a wrong answer.
 */
@Injectable()
export class PhotoEventsListener implements OnModuleInit {
  private readonly waiters = new IdWaiters();
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
    return this.waiters.next(photoId, ms);
  }

  private wake(message: string): void {
    const ids = message.split(',').map(Number);
    this.waiters.wake(ids);
    for (const listener of this.announced) listener(ids);
  }
}
