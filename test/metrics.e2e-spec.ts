import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import type pg from 'pg';
import { validateEnv } from '@app/config';
import { MessagingEnv, QUEUES, deadLetterQueueName, queueName } from '@app/messaging';
import { bearer, type Diver, freePort, signupAndSignin, startApi, type TestApi } from './support/api.js';
import { type ConsumerProcess, killIfRunning, spawnConsumer } from './support/consumer-process.js';
import { createLogbook, uniquePng } from './support/fixtures.js';
import { type RunningFake, startFishialFake } from './support/fishial-fake.js';
import { connectDb, publishLikes, queueDepths, seedWorld, waitFor } from './support/likes-model.js';
import { sample, scrape } from './support/metrics.js';

const cacheLabels = (result: string) => ({ family: 'jobs', view: 'jobs', result });
const published = (text: string) => sample(text, 'commands_published_total', { queue: 'likes' }) ?? 0;
const confirmed = (text: string) => sample(text, 'command_publish_confirm_seconds_count', { queue: 'likes', outcome: 'ok' }) ?? 0;
const count = (text: string, name: string, labels: Record<string, string>) => sample(text, name, labels) ?? 0;
const served = (text: string) => sample(text, 'http_requests_total', { route: '/health', status_code: '200' }) ?? 0;

// This file dead-letters a poison message on purpose, so it runs on queues of its own (every process
// it starts and every helper it calls reads QUEUE_PREFIX from this worker's environment): the other
// files' checks of the run's dead-letter queues stay exact. Its queues are deleted when it ends.
const QUEUE_PREFIX = (process.env.QUEUE_PREFIX = `${process.env.QUEUE_PREFIX}_metrics`);
afterAll(async () => {
  const conn = await amqp.connect(validateEnv(MessagingEnv).RABBITMQ_URL);
  const channel = await conn.createChannel();
  for (const name of QUEUES) {
    await channel.deleteQueue(queueName(QUEUE_PREFIX, name));
    await channel.deleteQueue(deadLetterQueueName(QUEUE_PREFIX, name));
  }
  await conn.close();
});

let nextVersion = 3n * 10n ** 15n;

describe('consumer metrics on its health port (e2e)', () => {
  let db: pg.Client;
  let consumer: ConsumerProcess | undefined;
  let metrics: string;

  beforeAll(async () => {
    db = await connectDb();
    consumer = await spawnConsumer({ LIKE_BATCH_SIZE: '50', LIKE_BATCH_WAIT_MS: '10' });
    metrics = `http://127.0.0.1:${consumer.healthPort}/metrics`;
  });
  afterAll(async () => {
    killIfRunning(consumer);
    await db?.end();
  });

  it('counts the applied likes, their batches and the notifications they inserted, per queue', async () => {
    // Logbooks of the first user, liked by the two others: every command is a new like that notifies.
    const { userIds, logbookIds } = await seedWorld(db, 'metrics', 3, 5);
    const commands = userIds
      .slice(1)
      .flatMap((userId) =>
        logbookIds.map((logbookId) => ({ id: randomUUID(), userId, logbookId, liked: true, version: String(nextVersion++) })),
      );
    const before = await scrape(metrics);
    await publishLikes(commands);
    await waitFor('the likes applied', async () => {
      const { rows } = await db.query('SELECT count(*)::int AS n FROM likes WHERE logbook_id = ANY($1) AND liked', [logbookIds]);
      return rows[0].n === commands.length ? true : undefined;
    });
    // The counters move after the commit; the ack follows at once.
    const after = await waitFor('the batch settled', async () => {
      const text = await scrape(metrics);
      return sample(text, 'consumer_commands_applied_total', { queue: 'likes' }) === commands.length ? text : undefined;
    });
    const delta = (name: string, labels: Record<string, string>) =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(delta('consumer_messages_received_total', { queue: 'likes' })).toBe(commands.length);
    expect(delta('consumer_batch_size_sum', { queue: 'likes' })).toBe(commands.length);
    expect(delta('consumer_batch_size_count', { queue: 'likes' })).toBeGreaterThanOrEqual(1);
    expect(delta('consumer_batch_flush_seconds_count', { queue: 'likes' })).toBe(delta('consumer_batch_size_count', { queue: 'likes' }));
    expect(delta('consumer_notifications_fanned_out_total', { type: 'like' })).toBe(commands.length);
    expect(sample(after, 'consumer_dead_lettered_total', { queue: 'likes' }) ?? 0).toBe(0);
    expect(sample(after, 'consumer_ready')).toBe(1);
  });

  it('counts a poison message as dead-lettered on its queue', async () => {
    const before = await scrape(metrics);
    const deadBefore = (await queueDepths()).dead;
    await publishLikes([Buffer.from('not json')]);
    await waitFor('the dead letter', async () => ((await queueDepths()).dead === deadBefore + 1 ? true : undefined));
    const after = await scrape(metrics);
    expect(
      (sample(after, 'consumer_dead_lettered_total', { queue: 'likes' }) ?? 0) -
        (sample(before, 'consumer_dead_lettered_total', { queue: 'likes' }) ?? 0),
    ).toBe(1);
    expect(sample(after, 'consumer_commands_applied_total', { queue: 'likes' })).toBe(
      sample(before, 'consumer_commands_applied_total', { queue: 'likes' }),
    );
  });
});

describe('API metrics on the operations listener (e2e)', () => {
  let api: TestApi;
  let ops: string;
  let owner: Diver;
  let liker: Diver;

  beforeAll(async () => {
    const port = await freePort();
    ops = `http://127.0.0.1:${port}/metrics`;
    api = await startApi({ METRICS_PORT: String(port) });
    owner = await signupAndSignin(api, 'metricsowner');
    liker = await signupAndSignin(api, 'metricsliker');
  });
  afterAll(() => api.close());

  it('counts a cached view as a miss, then a hit, under its families and name', async () => {
    const before = await scrape(ops);
    const first = await api.http().get('/api/home/jobs/?page=1').expect(200);
    expect(first.headers['x-cache']).toBe('MISS');
    await waitFor('the entry stored', async () => {
      const again = await api.http().get('/api/home/jobs/?page=1').expect(200);
      return again.headers['x-cache'] === 'HIT' ? true : undefined;
    });
    const after = await scrape(ops);
    const delta = (result: string) =>
      (sample(after, 'view_cache_requests_total', cacheLabels(result)) ?? 0) -
      (sample(before, 'view_cache_requests_total', cacheLabels(result)) ?? 0);
    expect(delta('miss')).toBeGreaterThanOrEqual(1);
    expect(delta('hit')).toBe(1);
    expect(sample(after, 'redis_breaker_open')).toBe(0);
  });

  const streams = () => scrape(ops).then((text) => sample(text, 'notification_streams_open'));
  it('gauges the open notification streams', async () => {
    const before = (await streams()) ?? 0;
    const { ticket } = (await api.http().post('/api/notifications/stream_ticket/').set(bearer(owner)).expect(200)).body;
    const abort = new AbortController();
    const res = await fetch(`${api.url}/api/notifications/stream?ticket=${ticket}`, { signal: abort.signal });
    expect(res.status).toBe(200);
    await waitFor('the stream counted', async () => ((await streams()) === before + 1 ? true : undefined));
    abort.abort();
    await res.body?.cancel().catch(() => undefined);
    await waitFor('the stream uncounted', async () => ((await streams()) === before ? true : undefined));
  });

  it('times the publish confirm of a like; the consumer times it from publish to ack and counts its notification', async () => {
    const consumer = await spawnConsumer({ LIKE_BATCH_WAIT_MS: '10' });
    try {
      const consumerMetrics = `http://127.0.0.1:${consumer.healthPort}/metrics`;
      const logbookId = await createLogbook(api, owner.access);
      const before = await scrape(ops);
      await api.http().post(`/api/logbooks/${logbookId}/like/`).set(bearer(liker)).expect(202);
      const after = await scrape(ops);
      expect(confirmed(after) - confirmed(before)).toBe(1);
      expect(published(after) - published(before)).toBe(1);
      const acked = await waitFor('the like acked', async () => {
        const text = await scrape(consumerMetrics);
        return sample(text, 'consumer_publish_to_ack_seconds_count', { queue: 'likes' }) === 1 ? text : undefined;
      });
      expect(sample(acked, 'consumer_publish_to_ack_seconds_sum', { queue: 'likes' })).toBeLessThan(10);
      expect(sample(acked, 'consumer_notifications_fanned_out_total', { type: 'like' })).toBe(1);
    } finally {
      killIfRunning(consumer);
    }
  });

  it('counts a 503 by its cause when the broker is away', async () => {
    const port = await freePort();
    const away = await startApi({ RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:1', METRICS_PORT: String(port) });
    try {
      const logbookId = await createLogbook(away, owner.access);
      const metrics = `http://127.0.0.1:${port}/metrics`;
      const before = sample(await scrape(metrics), 'http_unavailable_responses_total', { cause: 'broker_not_connected' }) ?? 0;
      await away.http().post(`/api/logbooks/${logbookId}/like/`).set(bearer(liker)).expect(503);
      const after = await scrape(metrics);
      expect(sample(after, 'http_unavailable_responses_total', { cause: 'broker_not_connected' })).toBe(before + 1);
      expect(sample(after, 'command_publish_confirm_seconds_count', { queue: 'likes', outcome: 'not_connected' })).toBeGreaterThanOrEqual(
        1,
      );
    } finally {
      await away.close();
    }
  });
});

describe('recognition metrics (e2e, with the fake Fishial server)', () => {
  let fake: RunningFake;
  let api: TestApi;
  let consumer: ConsumerProcess | undefined;
  let diver: Diver;
  let metrics: string;

  beforeAll(async () => {
    fake = await startFishialFake();
    api = await startApi();
    consumer = await spawnConsumer({ ...fake.clientEnv, RECOGNITION_ATTEMPTS: '2', RECOGNITION_RETRY_BASE_MS: '20' });
    metrics = `http://127.0.0.1:${consumer.healthPort}/metrics`;
    diver = await signupAndSignin(api, 'metricsfish');
  });
  afterAll(async () => {
    killIfRunning(consumer);
    await api?.close();
    await fake?.app.close();
  });

  async function classified(tag: string): Promise<string> {
    const presigned = await api
      .http()
      .get('/api/photo/generate_presigned_url/?filename=fish.png&filetype=image/png')
      .set(bearer(diver))
      .expect(200);
    const put = new URL(presigned.body.uploadUrl);
    await api.http().put(`${put.pathname}${put.search}`).set('Content-Type', 'image/png').send(uniquePng(tag)).expect(200);
    const created = await api
      .http()
      .post('/api/photo/')
      .set(bearer(diver))
      .send({ title: tag, image_url: presigned.body.fileUrl })
      .expect(201);
    const res = await api.http().post(`/api/photo/${created.body.id}/classify/`).set(bearer(diver)).set('Prefer', 'wait=10').expect(200);
    return res.body.status;
  }

  it('counts recognitions by outcome with their durations, and Fishial errors by class', async () => {
    const before = await scrape(metrics);
    expect(await classified('metrics-done')).toBe('done');
    fake.state.faults.failAll = true;
    try {
      expect(await classified('metrics-failed')).toBe('failed');
    } finally {
      fake.state.faults.failAll = false;
    }
    const after = await scrape(metrics);
    const delta = (name: string, labels: Record<string, string>) => count(after, name, labels) - count(before, name, labels);
    expect(delta('consumer_work_duration_seconds_count', { work: 'recognition', outcome: 'done' })).toBe(1);
    expect(delta('consumer_work_duration_seconds_count', { work: 'recognition', outcome: 'failed' })).toBe(1);
    expect(delta('consumer_work_duration_seconds_sum', { work: 'recognition', outcome: 'done' })).toBeGreaterThan(0);
    // One call for the photo that worked, two tries (RECOGNITION_ATTEMPTS) for the one Fishial failed with 500s.
    expect(delta('consumer_outside_service_calls_total', { service: 'fishial' })).toBe(3);
    expect(delta('consumer_outside_service_errors_total', { service: 'fishial', class: 'http_5xx' })).toBe(2);
    expect(delta('consumer_batch_size_sum', { queue: 'recognitions' })).toBe(2);
  });
});

/** GET on a connection of its own: node:cluster hands each new connection to the next worker. */
function getOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, headers: { Connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('API metrics with API_WORKERS=2 (e2e)', () => {
  let child: ChildProcess | undefined;
  let url: string;
  let ops: string;

  beforeAll(async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    url = `http://127.0.0.1:${port}`;
    ops = `http://127.0.0.1:${metricsPort}/metrics`;
    child = spawn(process.execPath, ['dist/apps/api/apps/api/src/main.js'], {
      env: { ...process.env, API_WORKERS: '2', PORT: String(port), METRICS_PORT: String(metricsPort), METRICS_HOST: '127.0.0.1' },
      stdio: 'ignore',
    });
    // Both workers answer a scrape only once both have booted.
    await waitFor(
      'both workers reporting',
      async () => sample(await scrape(ops).catch(() => ''), 'api_workers_reporting') === 2 || undefined,
      90_000,
    );
  }, 180_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), sleep(10_000)]);
    }
  });

  it('answers every scrape with the requests both workers served', async () => {
    const before = served(await scrape(ops));
    const requests = 40;
    for (let i = 0; i < requests; i++) expect(await getOnNewConnection(`${url}/health`)).toBe(200);
    // Scrapes land on the workers in turn; each must hold all 40, not its own share of them.
    for (let i = 0; i < 4; i++) {
      const text = await scrape(ops);
      expect(served(text) - before).toBe(requests);
      expect(sample(text, 'api_workers_reporting')).toBe(2);
    }
  });
});
