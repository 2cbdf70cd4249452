import { Inject, Injectable } from '@nestjs/common';
import { RedisBreaker } from './redis.breaker.js';
import { REDIS_CLIENT, type RedisClient } from './redis.provider.js';

/**
 * Announcements made after a commit (finished photos, recommendations, notifications), bounded by the
 * RedisBreaker. Best effort: every listener also catches up from Postgres, so a Redis failure here
 * never fails the write that caused it.
 */
@Injectable()
export class ChannelPublisher {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly breaker: RedisBreaker,
  ) {}

  async publish(channel: string, message: string): Promise<void> {
    await this.breaker.run(`publish on ${channel}`, () => this.redis.publish(channel, message)).catch(() => undefined);
  }
}
