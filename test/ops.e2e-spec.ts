import amqp from 'amqplib';
import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { validateEnv } from '@app/config';
import { MessagingEnv, deadLetterQueueName, queueName } from '@app/messaging';
import { createConsumer } from '../apps/consumer/src/consumer.factory.js';
import { freePort, signupAndSignin, startApi, type TestApi } from './support/api.js';

describe('ops endpoints (e2e)', () => {
  let api: TestApi;
  let ops: string;
  beforeAll(async () => {
    const port = await freePort();
    ops = `http://127.0.0.1:${port}`;
    api = await startApi({ METRICS_PORT: String(port) });
  });
  afterAll(() => api.close());

  it('GET /health answers and /health/ready reports Postgres, Redis and RabbitMQ up', async () => {
    await api.http().get('/health').expect(200, { status: 'ok' });
    await api.http().get('/health/ready').expect(200, { status: 'ok' });
    const res = await fetch(`${ops}/health/ready`);
    expect(res.status).toBe(200);
    expect((await res.json()).details).toEqual({
      database: expect.objectContaining({ status: 'up' }),
      redis: { status: 'up' },
      rabbitmq: { status: 'up' },
    });
  });

  it('GET /metrics exposes request counts and latency by route pattern and status', async () => {
    await api.http().get('/api/auths/me/').expect(401);
    const res = await fetch(`${ops}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/auths\/me",status_code="401"\} \d+/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/auths\/me"/);
  });

  it('serves the OpenAPI document and its UI', async () => {
    const doc = await api.http().get('/api/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/auths/signup/', '/api/auths/signin/', '/api/auths/me/', '/health/ready']),
    );
    const ui = await api.http().get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('gives every response a request id, keeping a sane one sent by a proxy', async () => {
    const own = await api.http().get('/health');
    expect(own.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await api.http().get('/health').set('X-Request-Id', 'proxy-abc.123');
    expect(given.headers['x-request-id']).toBe('proxy-abc.123');
    const hostile = await api.http().get('/health').set('X-Request-Id', 'x'.repeat(500));
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shuts down within SHUTDOWN_GRACE_MS while a client holds a half-sent request open', async () => {
    const other = await startApi({ SHUTDOWN_GRACE_MS: '200' });
    const socket = connect(Number(new URL(other.url).port), '127.0.0.1');
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // the blank line never comes
    const closedByServer = once(socket, 'close');
    // Node alone would keep this connection, and the process, until headersTimeout: 60 s.
    const outcome = await Promise.race([other.close().then(() => 'closed'), sleep(5_000).then(() => 'still open after 5 s')]);
    expect(outcome).toBe('closed');
    await closedByServer;
  });

  it('answers an unknown route with a DRF-style 404', async () => {
    await api.http().get('/api/nope/').expect(404, { detail: 'Not found.' });
  });
});

describe('config validated at boot (e2e)', () => {
  it.each([
    [{ JWT_ACCESS_TTL: 'soon' }, 'Config error: JWT_ACCESS_TTL="soon" is invalid: JWT_ACCESS_TTL must be an integer number'],
    [{ DATABASE_URL: 'mysql://x' }, 'Config error: DATABASE_URL="mysql://x" is invalid: DATABASE_URL must be a URL address'],
    [{ NODE_ENV: 'production', STORAGE_SIGNING_SECRET: 's'.repeat(40) }, 'Config error: JWT_SECRET is required when NODE_ENV=production'],
    [{ NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40) }, 'Config error: STORAGE_SIGNING_SECRET is required when NODE_ENV=production'],
  ])('refuses to start with %j, naming the variable in one line', async (env, message) => {
    await expect(startApi(env)).rejects.toThrow(message);
  });
});

describe('with Redis unreachable (e2e)', () => {
  it('readiness says so, and authenticated requests are served from Postgres', async () => {
    const healthy = await startApi();
    const diver = await signupAndSignin(healthy);
    await healthy.close();

    // Nothing listens on port 1: every Redis command fails at once, the cache turns into misses.
    const port = await freePort();
    const api = await startApi({ REDIS_URL: 'redis://127.0.0.1:1/0', METRICS_PORT: String(port) });
    try {
      await api.http().get('/health/ready').expect(503, { status: 'error' });
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(ready.status).toBe(503);
      const { details } = await ready.json();
      expect(details.redis.status).toBe('down');
      expect(details.database.status).toBe('up');
      const me = await api.http().get('/api/auths/me/').set('Authorization', `Bearer ${diver.access}`);
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(diver.id);
      // Sign-in limiting falls back to a per-process limiter rather than failing the request.
      await api.http().post('/api/auths/signin/').send({ email: diver.email, password: diver.password }).expect(200);
    } finally {
      await api.close();
    }
  });
});

describe('consumer (e2e)', () => {
  it('boots, declares the quorum queues with delivery limit and DLQ, and reports ready', async () => {
    const consumer = await createConsumer();
    try {
      const res = await consumer.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'consuming', rabbitmq: 'up' });

      const env = validateEnv(MessagingEnv);
      const conn = await amqp.connect(env.RABBITMQ_URL);
      try {
        const channel = await conn.createChannel();
        // checkQueue fails (and closes the channel) when a queue does not exist.
        for (const name of [
          queueName(env.QUEUE_PREFIX, 'likes'),
          deadLetterQueueName(env.QUEUE_PREFIX, 'likes'),
          queueName(env.QUEUE_PREFIX, 'recognitions'),
          deadLetterQueueName(env.QUEUE_PREFIX, 'recognitions'),
        ]) {
          await expect(channel.checkQueue(name)).resolves.toMatchObject({ queue: name });
        }
      } finally {
        await conn.close();
      }
    } finally {
      await consumer.close();
    }
  });
});
