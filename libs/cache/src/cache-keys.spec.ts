import { CacheKeys } from './cache-keys.js';

describe('CacheKeys', () => {
  it('prefixes every key with the namespace, so two stacks never share a key', () => {
    const a = new CacheKeys('stack-a');
    const b = new CacheKeys('stack-b');
    expect(a.authUser(7)).toBe('stack-a:auth:user:7');
    expect(a.rateLimit('signin-ip')).toBe('stack-a:rl:signin-ip');
    expect(a.view(['logbooks'], [3], 'list', 7, 'v1').startsWith('stack-a:')).toBe(true);
    expect(a.authUser(7)).not.toBe(b.authUser(7));
    expect(a.view(['logbooks'], [3], 'list', 7, 'v1')).not.toBe(b.view(['logbooks'], [3], 'list', 7, 'v1'));
  });

  // The view key is all that keeps one user's cached body (and its liked_by_current_user) from another's.
  describe('view', () => {
    const keys = new CacheKeys('ns');
    const one = keys.view(['logbooks'], [3], 'list', 7, 'v1');

    it('is the same for the same family, generation, name, viewer and variant', () => {
      expect(keys.view(['logbooks'], [3], 'list', 7, 'v1')).toBe(one);
    });

    it.each([
      ['viewer', keys.view(['logbooks'], [3], 'list', 8, 'v1')],
      ['family', keys.view(['photos'], [3], 'list', 7, 'v1')],
      ['generation', keys.view(['logbooks'], [4], 'list', 7, 'v1')],
      ['name', keys.view(['logbooks'], [3], 'detail', 7, 'v1')],
      ['variant', keys.view(['logbooks'], [3], 'list', 7, 'v2')],
    ])('differs when only the %s differs', (_, other) => {
      expect(other).not.toBe(one);
    });

    it("never gives a shared view (viewer 0) any user's key", () => {
      const shared = keys.view(['logbooks'], [3], 'list', 0, 'v1');
      for (const viewer of [1, 7, 10, 70, 700]) expect(keys.view(['logbooks'], [3], 'list', viewer, 'v1')).not.toBe(shared);
    });
  });

  describe('view over several families', () => {
    const keys = new CacheKeys('ns');

    it('keeps the one-family spelling', () => {
      expect(keys.view(['logbooks'], [41], 'likes', 0, 'v')).toBe('ns:views:logbooks:41:likes:0:v');
    });

    it('carries the generation of every family a view depends on', () => {
      const families = ['users', 'logbooks', 'buddies', 'bucket-lists'] as const;
      const key = keys.view(families, [1, 2, 3, 4], 'divers', 9, 'v');
      expect(key).toBe('ns:views:users+logbooks+buddies+bucket-lists:1.2.3.4:divers:9:v');
      // A bump of any one family (and of nothing else) gives another key.
      const bumped = [
        [2, 2, 3, 4],
        [1, 3, 3, 4],
        [1, 2, 4, 4],
        [1, 2, 3, 5],
      ].map((generations) => keys.view(families, generations, 'divers', 9, 'v'));
      expect(new Set([key, ...bumped]).size).toBe(5);
      expect(keys.view(families, [1, 2, 3, 4], 'divers', 9, 'v')).toBe(key);
    });

    it('never lets two families or viewers share a key', () => {
      expect(keys.view(['users'], [5], 'x', 0, 'v')).not.toBe(keys.view(['buddies'], [5], 'x', 0, 'v'));
      // Generations are separated, so (1, 23) and (12, 3) differ.
      expect(keys.view(['users', 'buddies'], [1, 23], 'x', 0, 'v')).not.toBe(keys.view(['users', 'buddies'], [12, 3], 'x', 0, 'v'));
      expect(keys.view(['users'], [5], 'x', 1, 'v')).not.toBe(keys.view(['users'], [5], 'x', 2, 'v'));
    });

    it('refuses a generation list that does not match the families', () => {
      expect(() => keys.view(['users', 'logbooks'], [1], 'x', 0, 'v')).toThrow('one generation per view family');
      expect(() => keys.view([], [], 'x', 0, 'v')).toThrow('one generation per view family');
    });
  });
});
