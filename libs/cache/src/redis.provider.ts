import { Logger, type Provider } from '@nestjs/common';
import { createClient } from '@redis/client';
import { cacheConfig, type CacheEnv } from './cache.config.js';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
export type RedisClient = ReturnType<typeof createClient>;

const logger = new Logger('Redis');

/**
 * One node-redis client per process, shared by the cache store, the rate limiter and health checks.
 * The offline queue is disabled: while Redis is down a command fails at once (a cache miss) instead of
 * piling up in memory, and boot does not wait more than a moment for Redis.
 */
export const redisClientProvider: Provider = {
  provide: REDIS_CLIENT,
  inject: [cacheConfig.KEY],
  useFactory: async (env: CacheEnv): Promise<RedisClient> => {
    const client = createClient({
      url: env.REDIS_URL,
      disableOfflineQueue: true,
      pingInterval: 5_000,
      socket: {
        connectTimeout: 2_000,
        reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000),
      },
    });
    let lastError = '';
    client.on('error', (err: Error) => {
      // The client emits the same error on every reconnect attempt; log each distinct one once.
      if (err.message !== lastError) logger.warn(`redis error: ${err.message}`);
      lastError = err.message;
    });
    client.on('ready', () => {
      if (lastError) logger.log('redis connection restored');
      lastError = '';
    });
    const connecting = client.connect().catch(() => undefined);
    await Promise.race([connecting, new Promise((r) => setTimeout(r, 2_000).unref())]);
    return client;
  },
};
