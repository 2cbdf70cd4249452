import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { cacheConfig, type CacheEnv, REDIS_CLIENT, type RedisClient, withTimeout } from '@app/cache';
import { AmqpConnection } from '@app/messaging';

/** Redis and RabbitMQ indicators; Postgres uses terminus's own TypeORM ping. */
@Injectable()
export class InfraHealth {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(cacheConfig.KEY) private readonly cacheEnv: CacheEnv,
    private readonly amqp: AmqpConnection,
  ) {}

  async redisPing(key = 'redis') {
    const indicator = this.health.check(key);
    try {
      await withTimeout(this.redis.ping(), Math.max(this.cacheEnv.REDIS_COMMAND_TIMEOUT_MS, 1_000), 'redis ping');
      return indicator.up();
    } catch {
      // The readiness body is public: say what is down, not where it lives (the log has the error).
      return indicator.down({ message: 'unreachable' });
    }
  }

  rabbitmq(key = 'rabbitmq') {
    const indicator = this.health.check(key);
    return this.amqp.isConnected() ? indicator.up() : indicator.down({ message: 'not connected' });
  }
}
