import { createClient } from '@redis/client';
import { CacheEnv, CacheKeys, RedisBreaker, type RedisClient, TimeoutError } from '@app/cache';
import { validateEnv } from '@app/config';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.js';

const env = validateEnv(CacheEnv);
const keys = new CacheKeys(`${env.CACHE_NAMESPACE}:breaker`);

/** Holds this process's event loop, as a burst of requests or a long GC does. */
function holdLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('the Redis breaker on a busy event loop (e2e)', () => {
  const closing: Array<() => Promise<unknown>> = [];
  const connect = async (url = env.REDIS_URL) => {
    const client: RedisClient = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 100 } });
    client.on('error', () => undefined);
    await client.connect();
    const breaker = new RedisBreaker(client, env);
    closing.push(async () => {
      breaker.onApplicationShutdown();
      await client.disconnect().catch(() => undefined);
    });
    return { client, breaker };
  };
  afterEach(async () => {
    for (const close of closing.splice(0).toReversed()) await close();
  });

  it('does not blame Redis for the time this process’s own loop was held up', async () => {
    const { client, breaker } = await connect();
    await client.set(keys.streamTicket('held'), 'answer');
    // Calls made, then the loop held past the timeout before the client could even write them.
    const calls = Array.from({ length: 20 }, () => breaker.run('held call', () => client.get(keys.streamTicket('held'))));
    holdLoop(env.REDIS_COMMAND_TIMEOUT_MS * 2);
    expect(await Promise.all(calls)).toEqual(Array(20).fill('answer'));
    // Written, then held while the reply waits unread in the socket.
    const written = breaker.run('held reply', () => client.get(keys.streamTicket('held')));
    await new Promise((r) => setImmediate(r));
    holdLoop(env.REDIS_COMMAND_TIMEOUT_MS * 2);
    expect(await written).toBe('answer');
    expect(breaker.available).toBe(true);
  });

  it('still opens when Redis itself is silent, and fails the next call at once', async () => {
    const url = new URL(env.REDIS_URL);
    const proxy: FaultProxy = await startFaultProxy(Number(url.port || 6379), url.hostname);
    closing.push(() => proxy.close());
    url.host = `127.0.0.1:${proxy.port}`;
    const { client, breaker } = await connect(url.toString());
    proxy.freeze();
    const started = Date.now();
    await expect(breaker.run('frozen', () => client.get(keys.streamTicket('frozen')))).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(env.REDIS_COMMAND_TIMEOUT_MS);
    expect(breaker.available).toBe(false);
    await expect(breaker.run('while open', () => client.get(keys.streamTicket('frozen')))).rejects.toThrow(/unavailable/);
  });
});
