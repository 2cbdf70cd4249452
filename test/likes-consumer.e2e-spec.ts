import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { validateEnv } from '@app/config';
import { Commands, type LikeCommand, MAX_LIKE_COMMANDS_PER_MESSAGE, MessagingEnv, deadLetterQueueName } from '@app/messaging';
import { type ConsumerProcess, killIfRunning, spawnConsumer } from './support/consumer-process.js';
import { sample, scrape } from './support/metrics.js';
import { refuseConnections } from './support/postgres-outage.js';
import {
  connectDb,
  countsMatchRows,
  lastWriterState,
  observe,
  publishLikes,
  queueDepths,
  sameState,
  seedWorld,
  shuffle,
  waitFor,
} from './support/likes-model.js';

let nextVersion = 10n ** 15n;

/** The commands as messages of 1 to `most` commands each, half of the ones alone in the format from before lists. */
function asMessages(commands: LikeCommand[], most: number): Array<LikeCommand | LikeCommand[]> {
  const messages: Array<LikeCommand | LikeCommand[]> = [];
  for (let i = 0; i < commands.length;) {
    const n = 1 + Math.floor(Math.random() * most);
    const list = commands.slice(i, i + n);
    messages.push(list.length === 1 && Math.random() < 0.5 ? list[0] : list);
    i += n;
  }
  return messages;
}

/** `n` like/unlike commands spread over every (user, logbook) pair, versions unique and increasing. */
function commandsOver(userIds: number[], logbookIds: number[], n: number): LikeCommand[] {
  return Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    userId: userIds[i % userIds.length],
    logbookId: logbookIds[Math.floor(i / userIds.length) % logbookIds.length],
    liked: Math.random() < 0.6,
    version: String(nextVersion++),
  }));
}

/** Like batches a consumer has committed, as its own /metrics counts them (not the wording of a log line). */
const batchesWritten = async (c: ConsumerProcess) =>
  sample(await scrape(`http://127.0.0.1:${c.healthPort}/metrics`), 'consumer_batch_size_count', { queue: 'likes' }) ?? 0;

/** The depth of the likes dead-letter queue once it has not moved for `quietMs`, within `timeoutMs`. */
async function quietDeadDepth(quietMs = 1_000, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let depth = (await queueDepths()).dead;
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline) throw new Error(`dead-letter depth still moving after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
    const now = (await queueDepths()).dead;
    if (now !== depth) [depth, since] = [now, Date.now()];
  }
  return depth;
}

/** The bodies in the likes dead-letter queue, read unacked: closing the connection puts them all back. */
async function deadLetterBodies(): Promise<string[]> {
  const env = validateEnv(MessagingEnv);
  const conn = await amqp.connect(env.RABBITMQ_URL);
  const channel = await conn.createChannel();
  const bodies: string[] = [];
  for (;;) {
    const message = await channel.get(deadLetterQueueName(env.QUEUE_PREFIX, 'likes'), { noAck: false });
    if (!message) break;
    bodies.push(message.content.toString());
  }
  await conn.close();
  await waitFor('the dead letters back in their queue', async () => ((await queueDepths()).dead === bodies.length ? true : undefined));
  return bodies;
}

async function readiness(port: number): Promise<{ code: number; status: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
  return { code: res.status, status: ((await res.json()) as { status?: unknown }).status };
}

describe('like consumer processes (e2e)', () => {
  let db: pg.Client;
  const running: ConsumerProcess[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const c = await spawnConsumer({ LOG_LEVEL: 'debug', ...env });
    running.push(c);
    return c;
  };

  beforeAll(async () => {
    db = await connectDb();
  });
  afterEach(async () => {
    for (const c of running.splice(0)) killIfRunning(c);
  });
  afterAll(() => db.end());

  const settled = async (expected: Map<string, boolean>, logbookIds: number[], timeoutMs = 20_000) =>
    waitFor(
      'the final state',
      async () => {
        const seen = await observe(db, logbookIds);
        return sameState(seen, expected) && countsMatchRows(seen, logbookIds) ? seen : undefined;
      },
      timeoutMs,
    );

  it('ends in the last writer state after 1,000 interleaved commands on 50 keys, shuffled, through two consumers', async () => {
    const { userIds, logbookIds } = await seedWorld(db, 'race', 10, 5);
    const commands = commandsOver(userIds, logbookIds, 1_000);
    const a = await start({ LIKE_BATCH_SIZE: '20', LIKE_BATCH_WAIT_MS: '5' });
    const b = await start({ LIKE_BATCH_SIZE: '20', LIKE_BATCH_WAIT_MS: '5' });
    // Shuffled, and 100 of them sent twice, as a redelivery would; in messages of up to 60 commands
    // (the API's lists) or alone, so lists longer than a batch are applied too.
    await publishLikes(asMessages(shuffle([...commands, ...commands.slice(0, 100)]), 60));

    const seen = await settled(lastWriterState(commands), logbookIds);
    expect(seen.rows.size).toBe(50);
    expect(await batchesWritten(a)).toBeGreaterThan(0);
    expect(await batchesWritten(b)).toBeGreaterThan(0);
    expect((await queueDepths()).dead).toBe(0);
    // Deleting a user cascades to their like rows; the counts follow.
    await db.query('DELETE FROM users WHERE id = $1', [userIds[3]]);
    expect(countsMatchRows(await observe(db, logbookIds), logbookIds)).toBe(true);

    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  });

  it('loses and duplicates nothing when a consumer is SIGKILLed mid-batch and restarted', async () => {
    const { userIds, logbookIds } = await seedWorld(db, 'crash', 10, 50);
    const commands = commandsOver(userIds, logbookIds, 20_000);
    const first = await start({ LIKE_BATCH_SIZE: '200' });
    await publishLikes(asMessages(shuffle([...commands]), 100));
    await waitFor('some batches to commit', async () => ((await batchesWritten(first)) >= 3 ? true : undefined));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const left = await queueDepths();
    expect(left.ready).toBeGreaterThan(0); // it really died with work left

    await start({ LIKE_BATCH_SIZE: '200' });
    const expected = lastWriterState(commands);
    await settled(expected, logbookIds, 30_000);
    expect((await queueDepths()).dead).toBe(0);

    // Like notifications, written in the same batch statements: one per (liker, logbook) that ever
    // flipped to liked, so at least every pair liked at the end, none for the owner's own likes,
    // none for a pair never liked, and none twice whatever was redelivered.
    const owner = userIds[0];
    const notified = await db.query(
      `SELECT logbook_id, actor_id, user_id, count(*)::int AS n FROM notifications
        WHERE type = 'like' AND logbook_id = ANY($1::bigint[]) GROUP BY 1, 2, 3`,
      [logbookIds],
    );
    const pairs = new Set(notified.rows.map((r) => `${r.logbook_id}:${r.actor_id}`));
    expect(notified.rows.every((r) => r.n === 1 && Number(r.user_id) === owner && Number(r.actor_id) !== owner)).toBe(true);
    const everLiked = new Set(commands.filter((c) => c.liked).map((c) => `${c.logbookId}:${c.userId}`));
    expect([...pairs].every((p) => everLiked.has(p))).toBe(true);
    const likedAtEnd = [...expected].filter(([k, liked]) => liked && !k.endsWith(`:${owner}`)).map(([k]) => k);
    expect(likedAtEnd.length).toBeGreaterThan(0);
    expect(likedAtEnd.filter((k) => !pairs.has(k))).toEqual([]);
  });

  it('on SIGTERM flushes and acks what it holds, then exits 0', async () => {
    const { userIds, logbookIds } = await seedWorld(db, 'drain', 3, 3);
    const commands = commandsOver(userIds, logbookIds, 30);
    // A batch that would wait 10 s: within the test, only the shutdown path can write it.
    const c = await start({ LIKE_BATCH_SIZE: '1000', LIKE_BATCH_WAIT_MS: '10000' });
    await publishLikes(commands);
    await waitFor('all delivered', async () => ((await queueDepths()).ready === 0 ? true : undefined));
    expect((await observe(db, logbookIds)).rows.size).toBe(0);

    c.child.kill('SIGTERM');
    expect(await c.exited).toBe(0);
    const seen = await observe(db, logbookIds);
    expect(sameState(seen, lastWriterState(commands))).toBe(true);
    expect(countsMatchRows(seen, logbookIds)).toBe(true);
    expect((await queueDepths()).ready).toBe(0); // acked, not handed back
  });

  it('dead-letters malformed messages at once while valid commands flow on', async () => {
    const { userIds, logbookIds } = await seedWorld(db, 'poison', 2, 2);
    const valid = commandsOver(userIds, logbookIds, 4);
    await start(); // it declares the queues: the test runs alone too (-t)
    const before = await quietDeadDepth();
    const bad = { ...valid[0], id: randomUUID() };
    // Newer than the valid ones, on their keys: if a list with one bad command were applied in part,
    // the final state would be theirs.
    const newer = valid.map((c) => ({ ...c, id: randomUUID(), liked: !c.liked, version: String(nextVersion++) }));
    const poison = [
      'not json at all',
      JSON.stringify({ data: valid[0] }), // no pattern
      JSON.stringify({ pattern: Commands.like.pattern, data: { ...bad, userId: -1 } }),
      JSON.stringify({ pattern: Commands.like.pattern, data: { ...bad, version: '9'.repeat(30) } }),
      JSON.stringify({ pattern: Commands.like.pattern, id: 'rpc', data: { ...bad, liked: 'yes' } }),
      JSON.stringify({ pattern: Commands.like.pattern, data: [...newer, { ...bad, logbookId: 0 }] }),
      JSON.stringify({ pattern: Commands.like.pattern, data: [] }),
      JSON.stringify({ pattern: Commands.like.pattern, data: Array.from({ length: MAX_LIKE_COMMANDS_PER_MESSAGE + 1 }, () => newer[0]) }),
    ];
    await publishLikes([...poison.map((body) => Buffer.from(body)), ...valid]);
    await settled(lastWriterState(valid), logbookIds);
    // Exactly the eight, once the depth has stopped moving: more would mean a valid command went too.
    expect((await quietDeadDepth()) - before).toBe(poison.length);
    const dead = await deadLetterBodies();
    for (const body of poison) expect(dead).toContain(body);
    for (const command of valid) expect(dead).not.toContain(JSON.stringify({ pattern: Commands.like.pattern, data: command }));
  });

  it('pauses while Postgres refuses connections, then drains the backlog when it is back', async () => {
    const { userIds, logbookIds } = await seedWorld(db, 'pgdown', 4, 4);
    const commands = commandsOver(userIds, logbookIds, 200);
    const c = await start({ LIKE_BATCH_SIZE: '50' });
    const port = c.healthPort;
    expect(await readiness(port)).toEqual({ code: 200, status: 'consuming' });
    const deadBefore = (await queueDepths()).dead;
    const restore = await refuseConnections('likes-test');
    try {
      await publishLikes(commands);
      const paused = await waitFor('readiness to say paused', async () => {
        const ready = await readiness(port);
        return ready.status === 'paused' ? ready : undefined;
      });
      expect(paused.code).toBe(503);
      await new Promise((r) => setTimeout(r, 500));
      expect((await readiness(port)).status).toBe('paused'); // still retrying, not given up
      expect((await queueDepths()).dead).toBe(deadBefore);
    } finally {
      await restore();
    }
    db = await connectDb();
    await settled(lastWriterState(commands), logbookIds);
    await waitFor('readiness back to consuming', async () => ((await readiness(port)).code === 200 ? true : undefined));
    expect(await readiness(port)).toEqual({ code: 200, status: 'consuming' });
    expect((await queueDepths()).dead).toBe(deadBefore);
    expect(c.child.exitCode).toBeNull();
  });
});
