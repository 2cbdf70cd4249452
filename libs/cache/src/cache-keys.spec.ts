import { CacheKeys } from './cache-keys.js';

describe('CacheKeys', () => {
  it('prefixes every key with the namespace, so two stacks never share a key', () => {
    const a = new CacheKeys('stack-a');
    const b = new CacheKeys('stack-b');
    expect(a.authUser(7)).toBe('stack-a:auth:user:7');
    expect(a.rateLimit('signin-ip')).toBe('stack-a:rl:signin-ip');
    expect(a.authUser(7)).not.toBe(b.authUser(7));
  });

  describe('view', () => {
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
