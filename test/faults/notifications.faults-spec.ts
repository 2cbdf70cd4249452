import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { CacheEnv } from '@app/cache';
import { validateEnv } from '@app/config';
import { bearer, signupAndSignin, startApi, startConsumer, type TestApi } from '../support/api.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { createLogbook } from '../support/fixtures.js';
import { publishLikes, waitFor } from '../support/likes-model.js';

const DOWN_MS = 3_000;
const LIKES = 6;

/**
 * The API's Redis (and with it its one pub/sub connection) cut off for 3 s through a relay, while the
 * consumer, on Redis directly, commits likes and announces them to no listener of this API. Open
 * streams must still receive every event once: caught up from Postgres after the drop, none twice.
 */
describe('notification streams while the API loses Redis pub/sub (faults)', () => {
  let proxy: FaultProxy;
  let api: TestApi;
  let consumer: NestFastifyApplication;

  beforeAll(async () => {
    const redis = new URL(validateEnv(CacheEnv).REDIS_URL);
    proxy = await startFaultProxy(Number(redis.port || 6379), redis.hostname);
    redis.port = String(proxy.port);
    api = await startApi({ REDIS_URL: redis.toString(), REDIS_COMMAND_TIMEOUT_MS: '200' });
    consumer = await startConsumer({ LIKE_BATCH_WAIT_MS: '5' });
  });
  afterAll(async () => {
    await consumer?.close();
    await api?.close();
    await proxy?.close();
  });

  it('delivers every like committed while pub/sub is down, once, after the drop', async () => {
    const owner = await signupAndSignin(api, 'owner');
    const fan = await signupAndSignin(api, 'fan');
    const logbooks: number[] = [];
    for (let i = 0; i < LIKES; i++) logbooks.push(await createLogbook(api, owner.access));
    const { ticket } = (await api.http().post('/api/notifications/stream_ticket/').set(bearer(owner)).expect(200)).body;
    const abort = new AbortController();
    const res = await fetch(`${api.url}/api/notifications/stream?ticket=${ticket}`, { signal: abort.signal });
    expect(res.status).toBe(200);
    const ids: number[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let text = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        // Only whole events: the text after the last blank line may be cut mid-line.
        const end = text.lastIndexOf('\n\n');
        if (end < 0) continue;
        for (const [, data] of text.slice(0, end).matchAll(/^data: (.*)$/gm)) ids.push(JSON.parse(data).id);
        text = text.slice(end + 2);
      }
    })().catch(() => undefined);

    let version = BigInt(Date.now()) * 1_000_000n;
    const like = (logbookId: number) => ({ id: randomUUID(), userId: fan.id, logbookId, liked: true, version: String(version++) });
    proxy.down();
    try {
      for (const logbookId of logbooks) {
        await publishLikes([like(logbookId)]);
        await sleep(DOWN_MS / LIKES);
      }
    } finally {
      proxy.up();
    }
    console.log(`pub/sub down ${DOWN_MS} ms while ${LIKES} likes committed; events so far: ${ids.length}`);
    await waitFor('every like event', async () => (ids.length >= LIKES ? true : undefined), 10_000);
    await sleep(1_000);
    console.log(`events after recovery: ${ids.length}, distinct: ${new Set(ids).size}`);
    expect(ids).toHaveLength(LIKES);
    expect(new Set(ids).size).toBe(LIKES);
    abort.abort();
    await reading;
  });
});
