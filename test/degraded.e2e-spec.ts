import { setTimeout as sleep } from 'node:timers/promises';
import { GENERATIONS_TRUSTED_FOR_MS } from '@app/cache';
import { type Diver, signupAndSignin, startApi, type TestApi } from './support/api.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { createLogbook } from './support/fixtures.js';
import { waitFor } from './support/likes-model.js';
import { refuseConnections } from './support/postgres-outage.js';

/** Cached reads and like commands when Redis or RabbitMQ is down or hung: answers, never hangs. */
const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const t0 = Date.now();
  const result = await work();
  return [result, Date.now() - t0];
};

describe('degraded dependencies (e2e)', () => {
  let healthy: TestApi;
  let diver: Diver;
  let logbookId: number;

  beforeAll(async () => {
    healthy = await startApi();
    diver = await signupAndSignin(healthy, 'degraded');
    logbookId = await createLogbook(healthy, diver.access);
  });
  afterAll(() => healthy.close());

  it('serves cached views from Postgres while Redis is hung, within a bounded time', async () => {
    const redis = await startFaultProxy(6379);
    const api = await startApi({ REDIS_URL: `redis://127.0.0.1:${redis.port}/0`, REDIS_COMMAND_TIMEOUT_MS: '200' });
    try {
      await api.http().get('/api/logbooks/likes/').expect(200);
      const warm = await api.http().get('/api/logbooks/likes/').expect(200);
      expect(warm.headers['x-cache']).toBe('HIT');

      redis.freeze();
      // A body this process holds in memory is served while its generations are vouched for by the
      // pub/sub beats (bounded staleness, by design); once the beats have been silent that long,
      // every view has to ask Redis, which does not answer, and is built from Postgres instead.
      await sleep(GENERATIONS_TRUSTED_FOR_MS + 250);
      for (const url of ['/api/logbooks/likes/', '/api/logbooks/?page_size=100', `/api/logbooks/${logbookId}/`]) {
        const [res, ms] = await timed(() => api.http().get(url).set('Authorization', `Bearer ${diver.access}`));
        expect(res.status).toBe(200);
        expect(res.headers['x-cache']).toBeUndefined();
        expect(ms).toBeLessThan(3_000); // a few command timeouts, never the hang itself
      }
    } finally {
      redis.thaw();
      await api.close();
      await redis.close();
    }
  });

  it('serves views from Postgres while Redis is down', async () => {
    const api = await startApi({ REDIS_URL: 'redis://127.0.0.1:1/0' });
    try {
      const res = await api.http().get(`/api/logbooks/${logbookId}/`).expect(200);
      expect(res.body.id).toBe(logbookId);
      await api.http().get('/api/logbooks/likes/').expect(200);
    } finally {
      await api.close();
    }
  });

  it('answers a like 503 with Retry-After when the broker is down, never 202', async () => {
    const api = await startApi({ RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:1' });
    try {
      const res = await api.http().post(`/api/logbooks/${logbookId}/like/`).set('Authorization', `Bearer ${diver.access}`);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.body.detail).toMatch(/try again/);
    } finally {
      await api.close();
    }
  });

  it('answers 503 when the broker takes the command but its confirm does not come in time', async () => {
    const broker = await startFaultProxy(5672);
    const api = await startApi({ RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${broker.port}`, PUBLISH_CONFIRM_TIMEOUT_MS: '300' });
    try {
      const auth = { Authorization: `Bearer ${diver.access}` };
      await new Promise((r) => setTimeout(r, 300)); // let the channel open through the proxy
      await api.http().post(`/api/logbooks/${logbookId}/like/`).set(auth).expect(202);
      broker.freeze();
      const [res, ms] = await timed(() => api.http().post(`/api/logbooks/${logbookId}/like/`).set(auth));
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(ms).toBeLessThan(3_000);
    } finally {
      broker.thaw();
      await api.close();
      await broker.close();
    }
  });

  it('answers reads 503 with Retry-After while Postgres refuses connections, takes likes it can answer, and recovers', async () => {
    const api = await startApi({ CACHE_RESPONSES: 'false' });
    const auth = { Authorization: `Bearer ${diver.access}` };
    // A fresh API answers likes 503 until its broker connection is up (it never buffers commands).
    await waitFor('the API to be ready', async () => ((await api.http().get('/health/ready')).status === 200 ? true : undefined));
    const before = await api.http().post(`/api/logbooks/${logbookId}/like/`).set(auth).expect(202);
    const restore = await refuseConnections();
    try {
      for (const path of [`/api/logbooks/${logbookId}/`, '/api/logbooks/', '/api/logbooks/likes/']) {
        const res = await api.http().get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 503 });
        expect(res.headers['retry-after']).toBeDefined();
        expect(res.body.detail).toMatch(/try again/);
      }
      // A like needs the broker, not Postgres: a logbook this process knows is still answered.
      const unliked = await api.http().delete(`/api/logbooks/${logbookId}/like/`).set(auth).expect(202);
      expect(unliked.body).toEqual({ liked: false, likes_count: before.body.likes_count - 1 });
      // One it never saw cannot be told from a missing one: 503, not a guess.
      const unknown = await api
        .http()
        .post(`/api/logbooks/${logbookId + 1000}/like/`)
        .set(auth);
      expect(unknown.status).toBe(503);
      expect(unknown.headers['retry-after']).toBeDefined();
    } finally {
      await restore();
    }
    await api.http().get(`/api/logbooks/${logbookId}/`).expect(200);
    await api.close();
  });
});
