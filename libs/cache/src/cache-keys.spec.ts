import { CacheKeys } from './cache-keys.js';

describe('CacheKeys', () => {
  it('prefixes every key with the namespace, so two stacks never share a key', () => {
    const a = new CacheKeys('stack-a');
    const b = new CacheKeys('stack-b');
    expect(a.authUser(7)).toBe('stack-a:auth:user:7');
    expect(a.rateLimit('signin-ip')).toBe('stack-a:rl:signin-ip');
    expect(a.view('logbooks', 3, 'list', 7, 'v1').startsWith('stack-a:')).toBe(true);
    expect(a.authUser(7)).not.toBe(b.authUser(7));
    expect(a.view('logbooks', 3, 'list', 7, 'v1')).not.toBe(b.view('logbooks', 3, 'list', 7, 'v1'));
  });

  // The view key is all that keeps one user's cached body (and its liked_by_current_user) from another's.
  describe('view', () => {
    const keys = new CacheKeys('ns');
    const one = keys.view('logbooks', 3, 'list', 7, 'v1');

    it('is the same for the same family, generation, name, viewer and variant', () => {
      expect(keys.view('logbooks', 3, 'list', 7, 'v1')).toBe(one);
    });

    it.each([
      ['viewer', keys.view('logbooks', 3, 'list', 8, 'v1')],
      ['family', keys.view('photos', 3, 'list', 7, 'v1')],
      ['generation', keys.view('logbooks', 4, 'list', 7, 'v1')],
      ['name', keys.view('logbooks', 3, 'detail', 7, 'v1')],
      ['variant', keys.view('logbooks', 3, 'list', 7, 'v2')],
    ])('differs when only the %s differs', (_, other) => {
      expect(other).not.toBe(one);
    });

    it("never gives a shared view (viewer 0) any user's key", () => {
      const shared = keys.view('logbooks', 3, 'list', 0, 'v1');
      for (const viewer of [1, 7, 10, 70, 700]) expect(keys.view('logbooks', 3, 'list', viewer, 'v1')).not.toBe(shared);
    });
  });
});
