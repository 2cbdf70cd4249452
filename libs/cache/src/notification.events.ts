import { Inject, Injectable } from '@nestjs/common';
import { CacheKeys } from './cache-keys.js';
import { RedisBreaker } from './redis.breaker.js';
import { REDIS_CLIENT, type RedisClient } from './redis.provider.js';

/**
 * Announces, after their commit, that users have new notifications; the API processes holding their
 * open streams read the rows from Postgres. Best effort: a lost announcement is caught up by the
 * stream's own Last-Event-ID reconnect, so a Redis failure here never fails the write that caused it.
 */
@Injectable()
export class NotificationEvents {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly keys: CacheKeys,
    private readonly breaker: RedisBreaker,
  ) {}

  async announce(userIds: number[]): Promise<void> {
    if (userIds.length === 0) return;
    const payload = [...new Set(userIds)].join(',');
    await this.breaker
      .run('publish notification events', () => this.redis.publish(this.keys.notificationEvents(), payload))
      .catch(() => undefined);
  }
}
