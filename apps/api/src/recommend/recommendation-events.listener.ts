import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CacheKeys, RedisSubscriber } from '@app/cache';
import { IdWaiters } from '../common/id-waiters.js';

/**
 * Wakes requests waiting for a user's recommendation when the consumer announces, on a Redis channel,
 * the users whose outcome it has just committed. Only a wake-up: waiters re-read Postgres, and poll it
 * now and then too, so a lost message or a Redis outage costs latency, never a wrong answer.
 */
@Injectable()
export class RecommendationEventsListener implements OnModuleInit {
  private readonly waiters = new IdWaiters();

  constructor(
    private readonly subscriber: RedisSubscriber,
    private readonly keys: CacheKeys,
  ) {}

  onModuleInit(): void {
    this.subscriber.listen(this.keys.recommendationEvents(), (message) => this.wake(message));
  }

  /** Resolves at the next announcement about this user, or after `ms`. */
  next(userId: number, ms: number): Promise<void> {
    return this.waiters.next(userId, ms);
  }

  private wake(message: string): void {
    this.waiters.wake(message.split(',').map(Number));
  }
}
