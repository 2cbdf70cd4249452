import { createClient } from '@redis/client';
import {
  CacheEnv,
  CacheKeys,
  GENERATIONS_TRUSTED_FOR_MS,
  GenerationListener,
  RedisBreaker,
  type RedisClient,
  RedisSubscriber,
  ViewCache,
} from '@app/cache';
import { validateEnv } from '@app/config';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.js';

const env = validateEnv(CacheEnv);
const keys = new CacheKeys(`${env.CACHE_NAMESPACE}:generations`);

/** What one API process has: its Redis client, breaker, generation listener and view cache. */
async function processOn(url: string) {
  const client: RedisClient = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 100 } });
  client.on('error', () => undefined);
  await client.connect();
  const breaker = new RedisBreaker(client, env);
  const subscriber = new RedisSubscriber(client);
  const listener = new GenerationListener(client, keys, breaker, subscriber);
  const views = new ViewCache(client, env, keys, breaker, listener);
  return {
    client,
    listener,
    views,
    /** Reads until the listener vouches for the family (its first beats take a moment). */
    trusted: () =>
      vi.waitFor(async () => {
        await views.generation('logbooks');
        expect(listener.current('logbooks')).toBeDefined();
      }),
    close: async () => {
      listener.onApplicationShutdown();
      await subscriber.onApplicationShutdown();
      breaker.onApplicationShutdown();
      await client.disconnect().catch(() => undefined);
    },
  };
}
type Process = Awaited<ReturnType<typeof processOn>>;

describe('views generations announced over Redis pub/sub (e2e)', () => {
  const closing: Array<Process | FaultProxy> = [];
  const start = async (url = env.REDIS_URL) => {
    const p = await processOn(url);
    closing.push(p);
    return p;
  };
  const stored = async (p: Process) => Number(await p.client.get(keys.viewsGeneration('logbooks')));
  afterEach(async () => {
    for (const c of closing.splice(0)) await c.close();
  });

  it('brings another process’s bump to a reader, which then reads no generation from Redis', async () => {
    const writer = await start();
    const reader = await start();
    await reader.trusted();
    const reads = vi.spyOn(reader.client, 'get');

    for (let i = 0; i < 3; i++) {
      await writer.views.bump('logbooks');
      const made = await stored(writer);
      await vi.waitFor(async () => expect(await reader.views.generation('logbooks')).toBe(made));
    }
    expect(reads).not.toHaveBeenCalled();
  });

  it('lets the process that bumps read its own bump at once', async () => {
    const writer = await start();
    await writer.trusted();
    for (let i = 0; i < 3; i++) {
      await writer.views.bump('logbooks');
      expect(writer.listener.current('logbooks')).toBe(await stored(writer));
    }
  });

  it('makes a like bump stale only the bodies that show a logbook it names, and every such body once it cannot vouch', async () => {
    const writer = await start();
    const reader = await start();
    await reader.trusted();
    await vi.waitFor(async () => expect(await reader.views.generation('likes')).toBeDefined());
    const cache = async (logbook: number) => {
      const found = (await reader.views.lookup(['logbooks'], 'logbook', 0, `v${logbook}`, true))!;
      expect(found.likesGeneration).toBeDefined();
      const body = Buffer.from(`{"id":${logbook}}`);
      await reader.views.set(found.key, {
        etag: ViewCache.etagOf(body),
        body,
        likes: { generation: found.likesGeneration!, logbooks: [logbook] },
      });
    };
    const hit = async (logbook: number, from = reader) => (await from.views.lookup(['logbooks'], 'logbook', 0, `v${logbook}`, true))?.hit;
    await cache(1);
    await cache(2);
    expect(await hit(1)).toBeDefined();
    const other = await start(); // a process that finds the bodies in Redis only
    await other.trusted();
    await vi.waitFor(async () => expect(await hit(2, other)).toBeDefined());

    await writer.views.bumpLikes([1, 3]);
    await vi.waitFor(async () => expect(await hit(1)).toBeUndefined());
    expect(await hit(2)).toBeDefined();
    await vi.waitFor(async () => expect(await hit(1, other)).toBeUndefined());
    expect(await hit(2, other)).toBeDefined();

    // A bump naming no logbook (an account deleted) is every logbook's.
    await writer.views.bump('likes');
    await vi.waitFor(async () => expect(await hit(2)).toBeUndefined());
  });

  it('stops vouching within a second when its connections go silent, and reads Redis again afterwards', async () => {
    const url = new URL(env.REDIS_URL);
    const proxy = await startFaultProxy(Number(url.port || 6379), url.hostname);
    closing.push(proxy);
    url.host = `127.0.0.1:${proxy.port}`;
    const writer = await start();
    const reader = await start(url.toString());
    await reader.trusted();
    const before = await reader.views.generation('logbooks');

    proxy.freeze(); // packets dropped, sockets open: no error, no 'end', only silence
    await new Promise((r) => setTimeout(r, GENERATIONS_TRUSTED_FOR_MS + 250));
    await writer.views.bump('logbooks');
    expect(reader.listener.current('logbooks')).toBeUndefined();
    // Without the listener the read goes to Redis, which cannot answer: no cache, never the old generation.
    expect(await reader.views.generation('logbooks')).toBeUndefined();
    expect(before).toBeLessThan(await stored(writer));

    // Bytes dropped inside a TCP stream never come back: the partition ends as long ones do, in resets.
    proxy.thaw();
    proxy.reset();
    const made = await stored(writer);
    await vi.waitFor(async () => expect(await reader.views.generation('logbooks')).toBe(made), { timeout: 5_000 });
  });
});
