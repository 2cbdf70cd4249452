import { CacheModule as NestCacheModule } from '@nestjs/cache-manager';
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { KeyvAdapter } from 'cache-manager';
import { redisInsStore } from 'cache-manager-redis-yet';
import { Keyv } from 'keyv';
import { cacheConfig, type CacheEnv } from './cache.config.js';
import { CacheKeys } from './cache-keys.js';
import { CacheService } from './cache.service.js';
import { RedisBreaker } from './redis.breaker.js';
import { GenerationListener } from './generation.listener.js';
import { ChannelPublisher } from './channel.publisher.js';
import { NotificationEvents } from './notification.events.js';
import { RedisSubscriber } from './redis.subscriber.js';
import { ViewCache } from './view.cache.js';
import { REDIS_CLIENT, redisClientProvider, type RedisClient } from './redis.provider.js';
import { withTimeout } from './with-timeout.js';

const configModule = ConfigModule.forFeature(cacheConfig);

@Module({
  imports: [configModule],
  providers: [redisClientProvider],
  exports: [redisClientProvider, configModule],
})
class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.client.isOpen) return;
    // QUIT waits for a reply that never comes from a Redis that is down or hung; then just hang up.
    if (this.client.isReady) {
      const quitted = await withTimeout(this.client.quit(), 1_000, 'redis quit').then(
        () => true,
        () => false,
      );
      if (quitted) return;
    }
    await this.client.disconnect().catch(() => undefined);
  }
}

/**
 * Redis for the whole process: cache-manager over cache-manager-redis-yet (bridged by KeyvAdapter),
 * the bounded CacheService on top, and the key builder. Keyv gets no namespace of its own: CacheKeys
 * already prefixes every key, and a second prefix would make the keys in Redis differ from the ones
 * CacheKeys spells, which the raw client and the consumer use.
 */
@Global()
@Module({
  imports: [
    RedisModule,
    NestCacheModule.registerAsync({
      imports: [RedisModule],
      inject: [REDIS_CLIENT, cacheConfig.KEY],
      useFactory: (client: RedisClient, env: CacheEnv) => ({
        stores: [
          new Keyv({
            store: new KeyvAdapter(redisInsStore(client as never)),
            namespace: undefined,
            useKeyPrefix: false,
            ttl: env.CACHE_TTL_SECONDS * 1000,
          }),
        ],
      }),
    }),
  ],
  providers: [
    RedisBreaker,
    CacheService,
    RedisSubscriber,
    GenerationListener,
    ViewCache,
    ChannelPublisher,
    NotificationEvents,
    { provide: CacheKeys, inject: [cacheConfig.KEY], useFactory: (env: CacheEnv) => new CacheKeys(env.CACHE_NAMESPACE) },
  ],
  exports: [
    RedisModule,
    NestCacheModule,
    RedisBreaker,
    CacheService,
    CacheKeys,
    RedisSubscriber,
    GenerationListener,
    ViewCache,
    ChannelPublisher,
    NotificationEvents,
  ],
})
export class CacheModule {}
