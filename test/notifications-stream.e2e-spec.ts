import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createClient } from '@redis/client';
import type pg from 'pg';
import { CacheEnv, CacheKeys, NotificationMessages } from '@app/cache';
import { validateEnv } from '@app/config';
import { createConsumer } from '../apps/consumer/src/consumer.factory.js';
import { bearer, type Diver, signupAndSignin, startApi, type TestApi } from './support/api.js';
import { createLogbook } from './support/fixtures.js';
import { connectDb, waitFor } from './support/likes-model.js';

interface Event {
  id: number;
  data: { id: number; type: string; meta: { actor: string } };
}

/** An EventSource-like reader: what arrived so far, split into events and comment lines. */
class SseClient {
  readonly events: Event[] = [];
  readonly comments: string[] = [];
  private readonly abort = new AbortController();
  private buffer = '';
  status = 0;
  headers = new Headers();

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    const res = await fetch(url, { headers, signal: client.abort.signal });
    client.status = res.status;
    client.headers = res.headers;
    if (res.ok && res.body) void client.read(res.body.getReader());
    else await res.body?.cancel();
    return client;
  }

  private async read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        this.buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = this.buffer.indexOf('\n\n')) >= 0) {
          const block = this.buffer.slice(0, cut);
          this.buffer = this.buffer.slice(cut + 2);
          if (block.startsWith(':')) this.comments.push(block.slice(1).trim());
          const id = /^id: (\d+)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (id && data) this.events.push({ id: Number(id), data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted by close()
    }
  }

  close(): void {
    this.abort.abort();
  }
}

describe('notifications: the live stream (e2e)', () => {
  let api: TestApi;
  let consumer: NestFastifyApplication;
  let db: pg.Client;
  let a: Diver;
  let b: Diver;
  let c: Diver;
  const open: SseClient[] = [];

  beforeAll(async () => {
    api = await startApi({ NOTIFICATION_HEARTBEAT_MS: '200' });
    consumer = await createConsumer();
    db = await connectDb();
    [a, b, c] = [await signupAndSignin(api, 'a'), await signupAndSignin(api, 'b'), await signupAndSignin(api, 'c')];
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  afterAll(async () => {
    await consumer?.close();
    await api?.close();
    await db?.end();
  });

  const ticket = async (d: Diver) =>
    (await api.http().post('/api/notifications/stream_ticket/').set(bearer(d)).expect(200)).body.ticket as string;
  const stream = async (d: Diver, query = '', headers: Record<string, string> = {}) => {
    const s = await SseClient.open(`${api.url}/api/notifications/stream?ticket=${await ticket(d)}${query}`, headers);
    open.push(s);
    return s;
  };

  it("delivers a like by B to A's open stream within 1 s of its commit, and never to C's", async () => {
    const logbook = await createLogbook(api, a.access);
    const mine = await stream(a);
    const theirs = await stream(c);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(mine.headers.get('cache-control')).toMatch(/no-cache/);

    await api.http().post(`/api/logbooks/${logbook}/like/`).set(bearer(b)).expect(202);
    const committed = await waitFor(
      'the like notification to commit',
      async () => {
        const r = await db.query(`SELECT id FROM notifications WHERE logbook_id = $1 AND type = 'like'`, [logbook]);
        return r.rows[0] ? { id: Number(r.rows[0].id), at: Date.now() } : undefined;
      },
      10_000,
    );
    const event = await waitFor('the event on A’s stream', async () => mine.events.find((e) => e.id === committed.id), 1_000);
    expect(Date.now() - committed.at).toBeLessThan(1_000);
    expect(event.data).toMatchObject({ id: committed.id, type: 'like', meta: { actor: 'b' } });
    // A comment by B on the same logbook arrives too, in order; C's stream sees nothing but heartbeats.
    await api.http().post(`/api/logbooks/${logbook}/comments`).set(bearer(b)).send({ text: 'wow' }).expect(201);
    await waitFor('the comment event', async () => (mine.events.length === 2 ? true : undefined), 2_000);
    expect(mine.events.map((e) => e.data.type)).toEqual(['like', 'comment']);
    await waitFor('a heartbeat', async () => (theirs.comments.includes('heartbeat') ? true : undefined), 2_000);
    expect(theirs.events).toEqual([]);
  });

  it('replays exactly the missed events after Last-Event-ID (header or query) on reconnect', async () => {
    const logbook = await createLogbook(api, a.access);
    const first = await stream(a);
    await api.http().post(`/api/logbooks/${logbook}/comments`).set(bearer(b)).send({ text: 'one' }).expect(201);
    const seen = await waitFor('the first event', async () => first.events[0], 2_000);
    first.close();

    const missed: number[] = [];
    for (const text of ['two', 'three']) {
      await api.http().post(`/api/logbooks/${logbook}/comments`).set(bearer(b)).send({ text }).expect(201);
    }
    const rows = await db.query(`SELECT id FROM notifications WHERE logbook_id = $1 AND id > $2 ORDER BY id`, [logbook, seen.id]);
    missed.push(...rows.rows.map((r) => Number(r.id)));
    expect(missed).toHaveLength(2);

    const byHeader = await stream(a, '', { 'Last-Event-ID': String(seen.id) });
    const byQuery = await stream(a, `&last_event_id=${seen.id}`);
    for (const s of [byHeader, byQuery]) {
      await waitFor('the replay', async () => (s.events.length >= 2 ? true : undefined), 2_000);
    }
    // Give a duplicate time to show up before comparing.
    await new Promise((r) => setTimeout(r, 300));
    expect(byHeader.events.map((e) => e.id)).toEqual(missed);
    expect(byQuery.events.map((e) => e.id)).toEqual(missed);
    // Without Last-Event-ID a stream starts from now.
    const fresh = await stream(a);
    await new Promise((r) => setTimeout(r, 300));
    expect(fresh.events).toEqual([]);
  });

  it('writes the events a like batch announces at once, finds one whose announcement was lost by a recheck, and sends each once', async () => {
    const logbook = await createLogbook(api, a.access);
    const { rows } = await db.query('SELECT coalesce(max(id), 0)::int AS id FROM notifications WHERE user_id = $1', [a.id]);
    // From a known position, and live (its first read done) once a heartbeat came: the like below
    // then takes the announcement's path, not a read from Postgres.
    const mine = await stream(a, '', { 'Last-Event-ID': String(rows[0].id) });
    await waitFor('a heartbeat', async () => (mine.comments.includes('heartbeat') ? true : undefined), 2_000);
    await api.http().post(`/api/logbooks/${logbook}/like/`).set(bearer(b)).expect(202);
    const liked = await waitFor('the like event', async () => mine.events.find((e) => e.data.type === 'like'), 10_000);
    expect(liked.data.meta.actor).toBe('b');
    // Committed, never announced, as if its producer's publish had failed: only the recheck that
    // follows an announced event can find it.
    const lost = Number(
      (await db.query(`INSERT INTO notifications (user_id, type, actor_id) VALUES ($1, 'friend', $2) RETURNING id`, [a.id, c.id])).rows[0]
        .id,
    );
    await waitFor('the lost one, by the recheck', async () => (mine.events.some((e) => e.data.id === lost) ? true : undefined), 3_000);
    // The same events again (a repeated announcement) change nothing.
    const keys = new CacheKeys(validateEnv(CacheEnv).CACHE_NAMESPACE);
    const redis = createClient({ url: validateEnv(CacheEnv).REDIS_URL });
    await redis.connect();
    try {
      const doc = JSON.stringify(liked.data);
      await redis.publish(keys.notificationEvents(), NotificationMessages.events([{ userId: a.id, id: liked.data.id, doc }]));
      await redis.publish(keys.notificationEvents(), NotificationMessages.users([a.id]));
      await new Promise((r) => setTimeout(r, 1_500));
    } finally {
      await redis.quit();
    }
    expect(mine.events.map((e) => e.data.id)).toEqual([liked.data.id, lost]);
  });

  it('sends a notification that commits after one with a higher id, once, and resumes past both', async () => {
    const mine = await stream(a);
    const late = await connectDb();
    const keys = new CacheKeys(validateEnv(CacheEnv).CACHE_NAMESPACE);
    const redis = createClient({ url: validateEnv(CacheEnv).REDIS_URL });
    await redis.connect();
    const insert = async (client: pg.Client) =>
      Number(
        (await client.query(`INSERT INTO notifications (user_id, type, actor_id) VALUES ($1, 'friend', $2) RETURNING id`, [a.id, b.id]))
          .rows[0].id,
      );
    try {
      await late.query('BEGIN');
      const lower = await insert(late);
      const higher = await insert(db);
      await redis.publish(keys.notificationEvents(), String(a.id));
      await waitFor('the higher id', async () => (mine.events.some((e) => e.data.id === higher) ? true : undefined), 2_000);
      await late.query('COMMIT');
      await redis.publish(keys.notificationEvents(), String(a.id));
      await waitFor('the lower id, committed late', async () => (mine.events.some((e) => e.data.id === lower) ? true : undefined), 2_000);
      await redis.publish(keys.notificationEvents(), String(a.id));
      await new Promise((r) => setTimeout(r, 300));
      expect(mine.events.map((e) => e.data.id)).toEqual([higher, lower]);
      // The SSE id is the stream's cursor: resuming from the last one repeats neither.
      const resumed = await stream(a, '', { 'Last-Event-ID': String(mine.events.at(-1)?.id) });
      await new Promise((r) => setTimeout(r, 300));
      expect(mine.events.at(-1)?.id).toBe(higher);
      expect(resumed.events).toEqual([]);
    } finally {
      await late.end();
      await redis.quit();
    }
  });

  it('refuses a missing, used, forged or expired ticket (401), a ticket without a token (401), and a 6th stream (429)', async () => {
    await api.http().post('/api/notifications/stream_ticket/').expect(401);
    await api.http().get('/api/notifications/stream').expect(401);
    await api
      .http()
      .get(`/api/notifications/stream?ticket=${'x'.repeat(32)}`)
      .expect(401);
    const used = await ticket(c);
    const once = await SseClient.open(`${api.url}/api/notifications/stream?ticket=${used}`);
    open.push(once);
    expect(once.status).toBe(200);
    await api.http().get(`/api/notifications/stream?ticket=${used}`).expect(401);

    const redis = createClient({ url: validateEnv(CacheEnv).REDIS_URL });
    await redis.connect();
    try {
      const expiring = await ticket(c);
      const key = new CacheKeys(validateEnv(CacheEnv).CACHE_NAMESPACE).streamTicket(expiring);
      expect(await redis.ttl(key)).toBeGreaterThan(25);
      expect(await redis.ttl(key)).toBeLessThanOrEqual(30);
      await redis.pExpire(key, 1);
      await new Promise((r) => setTimeout(r, 20));
      await api.http().get(`/api/notifications/stream?ticket=${expiring}`).expect(401);
    } finally {
      await redis.quit();
    }

    for (let i = 0; i < 4; i++) expect((await stream(c)).status).toBe(200);
    const sixth = await api
      .http()
      .get(`/api/notifications/stream?ticket=${await ticket(c)}`)
      .expect(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    open.splice(0).forEach((s) => s.close());
    // Closed streams give their room back.
    await waitFor('room for a stream again', async () => ((await stream(c)).status === 200 ? true : undefined), 2_000);
  });

  it('opens a burst of 150 streams at once without a single 503', async () => {
    const burst = await startApi({ NOTIFICATION_STREAMS_PER_USER: '200' });
    try {
      const tickets = await Promise.all(
        Array.from({ length: 150 }, async () => {
          const res = await fetch(`${burst.url}/api/notifications/stream_ticket/`, { method: 'POST', headers: bearer(a) });
          return { status: res.status, ticket: ((await res.json()) as { ticket?: string }).ticket };
        }),
      );
      expect(tickets.map((t) => t.status)).toEqual(Array(150).fill(200));
      const streams = await Promise.all(tickets.map((t) => SseClient.open(`${burst.url}/api/notifications/stream?ticket=${t.ticket}`)));
      open.push(...streams);
      expect(streams.map((s) => s.status)).toEqual(Array(150).fill(200));
    } finally {
      open.splice(0).forEach((s) => s.close());
      await burst.close();
    }
  });
});
