import amqp from 'amqplib';
import type { AddressInfo } from 'node:net';
import { validateEnv } from '@app/config';
import { Commands, MessagingEnv, queueName } from '@app/messaging';
import { createConsumer } from '../apps/consumer/src/consumer.factory.js';
import { MetricsEnv } from '../apps/api/src/metrics/metrics.config.js';
import { startOpsServer } from '../apps/api/src/metrics/ops.server.js';
import { freePort, startApi, type TestApi, withEnv } from './support/api.js';
import { waitFor } from './support/likes-model.js';

/** Nest's RMQ server says it started before its consume calls are answered: wait for a consumer on every command queue. */
const consumersAttached = async () => {
  const env = validateEnv(MessagingEnv);
  const conn = await amqp.connect(env.RABBITMQ_URL);
  try {
    const channel = await conn.createChannel();
    const queues = Object.values(Commands).map((c) => queueName(env.QUEUE_PREFIX, c.queue));
    await waitFor('a consumer on every command queue', async () => {
      const counts = await Promise.all(queues.map(async (q) => (await channel.checkQueue(q)).consumerCount));
      return counts.every((n) => n > 0) || undefined;
    });
  } finally {
    await conn.close();
  }
};

describe('operations endpoints are not public (e2e)', () => {
  let api: TestApi;
  let ops: string;
  beforeAll(async () => {
    const port = await freePort();
    ops = `http://127.0.0.1:${port}`;
    api = await startApi({ METRICS_PORT: String(port) });
  });
  afterAll(() => api.close());

  it('serves no metrics on the API port', async () => {
    await api.http().get('/metrics').expect(404, { detail: 'Not found.' });
  });

  it('answers public readiness with its status alone, and liveness as before', async () => {
    const ready = await api.http().get('/health/ready').expect(200);
    expect(ready.body).toEqual({ status: 'ok' });
    await api.http().get('/health').expect(200, { status: 'ok' });
  });

  it('keeps metrics and the detailed readiness report on the operations listener', async () => {
    await api.http().get('/api/auths/me/').expect(401);
    const metrics = await fetch(`${ops}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/auths\/me",status_code="401"\} \d+/);
    expect(text).toContain('nodejs_version_info');
    const ready = await fetch(`${ops}/health/ready`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).details).toEqual({
      database: expect.objectContaining({ status: 'up' }),
      redis: { status: 'up' },
      rabbitmq: { status: 'up' },
    });
  });

  it('closes the operations listener with the app', async () => {
    const port = await freePort();
    const other = await startApi({ METRICS_PORT: String(port) });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    await other.close();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  it('with a dependency down, the public body still says only "error"; the listener says which', async () => {
    const port = await freePort();
    const broken = await startApi({ REDIS_URL: 'redis://127.0.0.1:1/0', METRICS_PORT: String(port) });
    try {
      await broken.http().get('/health/ready').expect(503, { status: 'error' });
      const report = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(report.status).toBe(503);
      expect((await report.json()).details).toMatchObject({ redis: { status: 'down' }, database: { status: 'up' } });
    } finally {
      await broken.close();
    }
  });

  it("binds the operations listener and the consumer's health port to loopback unless told otherwise", async () => {
    // Unset METRICS_HOST / CONSUMER_HEALTH_HOST: what an install gets by default.
    expect([process.env.METRICS_HOST, process.env.CONSUMER_HEALTH_HOST]).toEqual([undefined, undefined]);
    const opsPort = await freePort();
    const listener = await startOpsServer(api.app, validateEnv(MetricsEnv, { ...process.env, METRICS_PORT: String(opsPort) }));
    try {
      expect(listener?.addresses()).toEqual([expect.objectContaining({ address: '127.0.0.1', port: opsPort })]);
    } finally {
      await listener?.close();
    }
    const healthPort = await freePort();
    const consumer = await withEnv({}, () => createConsumer(healthPort));
    try {
      const { address, port } = consumer.getHttpServer().address() as AddressInfo;
      expect({ address, port }).toEqual({ address: '127.0.0.1', port: healthPort });
      expect((await fetch(`http://127.0.0.1:${healthPort}/health/ready`)).status).toBe(200);
    } finally {
      // Nest's RMQ server reports itself started before its consume calls are answered; closing
      // before then leaves those calls to reject unhandled: wait until every queue has its consumer.
      await consumersAttached();
      await consumer.close();
    }
  });

  it('refuses a METRICS_HOST that is not an address, naming it', async () => {
    await expect(startApi({ METRICS_PORT: '9', METRICS_HOST: 'everywhere' })).rejects.toThrow(
      'Config error: METRICS_HOST="everywhere" is invalid: must be an IP address',
    );
  });
});
