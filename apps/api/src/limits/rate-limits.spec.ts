import { CacheKeys, type RedisBreaker, type RedisClient, RedisUnavailableError } from '@app/cache';
import { validateEnv } from '@app/config';
import { LimitsEnv } from './limits.config.js';
import { LimitExceeded, RateLimits } from './rate-limits.js';

describe('RateLimits', () => {
  it('keeps limiting in process while Redis is unavailable, and says how long to wait', async () => {
    const down = { run: () => Promise.reject(new RedisUnavailableError('rate limiter: redis unavailable')) } as unknown as RedisBreaker;
    const limit = new RateLimits({} as RedisClient, new CacheKeys('unit'), down).create('unit-writes', { points: 2, durationSeconds: 60 });
    await limit.consume('7');
    await limit.consume('7');
    const held = await limit.consume('7').catch((err: unknown) => err);
    expect(held).toBeInstanceOf(LimitExceeded);
    expect((held as LimitExceeded).retryAfterSeconds).toBeGreaterThan(0);
    expect((held as LimitExceeded).retryAfterSeconds).toBeLessThanOrEqual(60);
    await limit.consume('8'); // another subject has its own points
    await limit.reward('7', 2);
    await limit.consume('7');
  });
});

describe('limits config', () => {
  it('names a bad variable in one line at boot', () => {
    expect(() => validateEnv(LimitsEnv, { WRITE_LIMIT_COMMENTS_PER_MINUTE: '0' })).toThrow(
      'Config error: WRITE_LIMIT_COMMENTS_PER_MINUTE="0" is invalid: WRITE_LIMIT_COMMENTS_PER_MINUTE must not be less than 1',
    );
    expect(validateEnv(LimitsEnv, {})).toMatchObject({ RECOGNITION_DAILY_QUOTA: 50, WRITE_LIMIT_COMMENTS_PER_MINUTE: 20 });
  });
});
