import { CacheKeys } from './cache-keys.js';

describe('CacheKeys', () => {
  it('prefixes every key with the namespace, so two stacks never share a key', () => {
    const a = new CacheKeys('stack-a');
    const b = new CacheKeys('stack-b');
    expect(a.authUser(7)).toBe('stack-a:auth:user:7');
    expect(a.rateLimit('signin-ip')).toBe('stack-a:rl:signin-ip');
    expect(a.authUser(7)).not.toBe(b.authUser(7));
  });
});
