export * from './cache.config.js';
export * from './cache-keys.js';
export * from './cache.module.js';
export * from './cache.service.js';
export * from './redis.provider.js';
export * from './with-timeout.js';
export * from './view.cache.js';
export * from './redis.breaker.js';
