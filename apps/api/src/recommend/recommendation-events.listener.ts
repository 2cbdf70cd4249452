import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CacheKeys, RedisSubscriber } from '@app/cache';

/**
 * Wakes requests waiting for a user's recommendation when the consumer announces, on a Redis channel,
 * the users whose outcome it has just committed. Only a wake-up: waiters re-read Postgres, and poll it
 * now and then too, so a lost message or a Redis outage costs latency, never a wrong answer.
 */
@Injectable()
export class RecommendationEventsListener implements OnModuleInit {
  private readonly waiters = new Map<number, Set<() => void>>();

  constructor(
    private readonly subscriber: RedisSubscriber,
    private readonly keys: CacheKeys,
  ) {}

  onModuleInit(): void {
    this.subscriber.listen(this.keys.recommendationEvents(), (message) => this.wake(message));
  }

  /** Resolves at the next announcement about this user, or after `ms`. */
  next(userId: number, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(userId) ?? new Set();
      this.waiters.set(userId, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(userId);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      set.add(done);
    });
  }

  private wake(message: string): void {
    // Each waiter deletes itself from the set as it runs, which iterating a Set allows.
    for (const id of message.split(',').map(Number)) for (const done of this.waiters.get(id) ?? []) done();
  }
}
