import amqp from 'amqplib';
import pg from 'pg';
import { validateEnv } from '@app/config';
import { DatabaseEnv } from '@app/database';
import { type LikeCommand, MessagePatterns, MessagingEnv, type QueueName, deadLetterQueueName, queueName } from '@app/messaging';

/** A direct connection to this run's database, for fixtures and for checking what the consumer wrote. */
export async function connectDb(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: validateEnv(DatabaseEnv).DATABASE_URL, application_name: 'likes-test' });
  await client.connect();
  return client;
}

/** `users` users and `logbooks` logbooks, inserted directly (no password hashing needed here). */
export async function seedWorld(db: pg.Client, tag: string, users: number, logbooks: number) {
  const u = await db.query<{ id: number }>(
    `INSERT INTO users (email, username, country, password)
     SELECT $1 || g || '@example.com', $1 || g, 'KR', 'x' FROM generate_series(1, $2::int) g RETURNING id`,
    [`${tag}_${Date.now()}_`, users],
  );
  const userIds = u.rows.map((r) => Number(r.id));
  const l = await db.query<{ id: number }>(
    `INSERT INTO logbooks (user_id, dive_title, dive_site, dive_date, max_depth, bottom_time_seconds, weight, start_pressure, end_pressure)
     SELECT $1, 'dive ' || g, 'site', '2024-01-01', 10, 1800, 4, 200, 50 FROM generate_series(1, $2::int) g RETURNING id`,
    [userIds[0], logbooks],
  );
  return { userIds, logbookIds: l.rows.map((r) => Number(r.id)) };
}

/** Every like command of a scenario; the expected state is each key's highest version. */
export function lastWriterState(commands: LikeCommand[]): Map<string, boolean> {
  const best = new Map<string, LikeCommand>();
  for (const c of commands) {
    const key = `${c.logbookId}:${c.userId}`;
    const held = best.get(key);
    if (!held || BigInt(held.version) < BigInt(c.version)) best.set(key, c);
  }
  return new Map([...best].map(([k, c]) => [k, c.liked]));
}

export interface Observed {
  rows: Map<string, boolean>;
  counts: Map<number, number>;
}

export async function observe(db: pg.Client, logbookIds: number[]): Promise<Observed> {
  const likes = await db.query('SELECT logbook_id, user_id, liked FROM likes WHERE logbook_id = ANY($1::bigint[])', [logbookIds]);
  const counts = await db.query('SELECT id, likes_count FROM logbooks WHERE id = ANY($1::bigint[])', [logbookIds]);
  return {
    rows: new Map(likes.rows.map((r) => [`${r.logbook_id}:${r.user_id}`, r.liked as boolean])),
    counts: new Map(counts.rows.map((r) => [Number(r.id), Number(r.likes_count)])),
  };
}

/** likes_count must equal the liked rows of each logbook: a double-applied flip would break it. */
export function countsMatchRows(observed: Observed, logbookIds: number[]): boolean {
  return logbookIds.every((id) => {
    const liked = [...observed.rows].filter(([k, v]) => v && k.startsWith(`${id}:`)).length;
    return observed.counts.get(id) === liked;
  });
}

export function sameState(observed: Observed, expected: Map<string, boolean>): boolean {
  if (observed.rows.size !== expected.size) return false;
  for (const [k, v] of expected) if (observed.rows.get(k) !== v) return false;
  return true;
}

/**
 * Publishes raw bodies, or like commands in the API's envelope (a list: one message of them, as the
 * API gathers them; one alone: the format from before lists), to one of this run's queues, confirmed.
 */
export async function publishLikes(items: Array<LikeCommand | LikeCommand[] | Buffer>, to: QueueName = 'likes'): Promise<void> {
  const env = validateEnv(MessagingEnv);
  const conn = await amqp.connect(env.RABBITMQ_URL);
  const channel = await conn.createConfirmChannel();
  const queue = queueName(env.QUEUE_PREFIX, to);
  for (const item of items) {
    const body = Buffer.isBuffer(item) ? item : Buffer.from(JSON.stringify({ pattern: MessagePatterns.like, data: item }));
    channel.sendToQueue(queue, body, { persistent: true });
  }
  await channel.waitForConfirms();
  await conn.close();
}

export async function queueDepths(of: QueueName = 'likes'): Promise<{ ready: number; dead: number }> {
  const env = validateEnv(MessagingEnv);
  const conn = await amqp.connect(env.RABBITMQ_URL);
  const channel = await conn.createChannel();
  const q = await channel.checkQueue(queueName(env.QUEUE_PREFIX, of));
  const d = await channel.checkQueue(deadLetterQueueName(env.QUEUE_PREFIX, of));
  await conn.close();
  return { ready: q.messageCount, dead: d.messageCount };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
