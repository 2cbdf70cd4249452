import { CacheKeys, REDIS_CLIENT, type RedisClient } from '@app/cache';
import { signupAndSignin, type TestApi, uniqueEmail } from '../support/api.js';
import { type Headers, MAX_IP_FAILURES, requestsTo, SIGNIN, startSecurityWorld } from '../support/security.js';

const LOCAL_IPS = ['127.0.0.1', '::ffff:127.0.0.1'];

/** Sign-in brute force, counted per connecting address whatever forwarding headers claim. */
describe('security: sign-in brute force (e2e)', () => {
  let api: TestApi;
  let close: () => Promise<void>;
  const { call } = requestsTo(() => api);

  beforeAll(async () => {
    ({ api, close } = await startSecurityWorld());
  });
  afterAll(() => close?.());

  it('counts failures per connecting address: spoofed forwarding headers neither reset nor split the count (TRUST_PROXY unset)', async () => {
    const eve = await signupAndSignin(api, 'eve');
    const spoofs: Headers[] = [
      { 'X-Forwarded-For': '203.0.113.1' },
      { 'X-Forwarded-For': '203.0.113.2, 198.51.100.7' },
      { 'X-Real-IP': '203.0.113.3' },
      { Forwarded: 'for=203.0.113.4' },
      { 'X-Client-IP': '203.0.113.5' },
      { 'True-Client-IP': '203.0.113.6' },
      { 'CF-Connecting-IP': '203.0.113.7' },
      { 'X-Forwarded-For': '127.0.0.2' },
    ];
    const redis = api.app.get<RedisClient>(REDIS_CLIENT);
    const keys = api.app.get(CacheKeys);
    const counters = LOCAL_IPS.flatMap((ip) => ['signin-fail-ip', 'signin-ip'].map((name) => `${keys.rateLimit(name)}:${ip}`));
    // Counted from zero, whatever failures an earlier file of this run left on this address.
    await redis.del(counters);
    try {
      for (let i = 0; i < MAX_IP_FAILURES; i++) {
        const wrong = {
          email: uniqueEmail('nobody'),
          password: 'wrong-password',
        };
        expect((await call('post', SIGNIN, wrong)(spoofs[i % spoofs.length])).status, `failure ${i + 1}`).toBe(401);
      }
      // Eve has no failure of her own and claims yet another address: the connection's count decides.
      const locked = await call('post', SIGNIN, {
        email: eve.email,
        password: eve.password,
      })({ 'X-Forwarded-For': '192.0.2.99' });
      expect(locked.status).toBe(429);
      const retryAfter = Number(locked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(locked.body.detail).toMatch(/Too many failed sign-in attempts/);
      console.log(
        `brute force: ${MAX_IP_FAILURES} failed sign-ins under ${spoofs.length} spoofed client-address headers, ` +
          `then the right password → ${locked.status}, Retry-After ${retryAfter}s`,
      );
    } finally {
      // Later files of this run sign in from this address too.
      await redis.del(counters);
    }
    await call('post', SIGNIN, {
      email: eve.email,
      password: eve.password,
    })().expect(200);
  });
});
