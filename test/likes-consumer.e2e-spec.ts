import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { LikeCommand } from '@app/messaging';
import { type ConsumerProcess, killIfRunning, spawnConsumer } from './support/consumer-process.js';
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

const batchesWritten = (c: ConsumerProcess) => c.logs.filter((l) => String(l.msg).startsWith('like batch:')).length;

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
    // Shuffled, and 100 of them sent twice, as a redelivery would.
    await publishLikes(shuffle([...commands, ...commands.slice(0, 100)]));

    const seen = await settled(lastWriterState(commands), logbookIds);
    expect(seen.rows.size).toBe(50);
    expect(batchesWritten(a)).toBeGreaterThan(0);
    expect(batchesWritten(b)).toBeGreaterThan(0);
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
    await publishLikes(shuffle([...commands]));
    await waitFor('some batches to commit', async () => (batchesWritten(first) >= 3 ? true : undefined));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const left = await queueDepths();
    expect(left.ready).toBeGreaterThan(0); // it really died with work left

    await start({ LIKE_BATCH_SIZE: '200' });
    await settled(lastWriterState(commands), logbookIds, 30_000);
    expect((await queueDepths()).dead).toBe(0);
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
    const before = (await queueDepths()).dead;
    await start();
    const bad = { ...valid[0], id: randomUUID() };
    await publishLikes([
      Buffer.from('not json at all'),
      Buffer.from(JSON.stringify({ data: valid[0] })), // no pattern
      Buffer.from(JSON.stringify({ pattern: 'like.command', data: { ...bad, userId: -1 } })),
      Buffer.from(JSON.stringify({ pattern: 'like.command', data: { ...bad, version: '9'.repeat(30) } })),
      Buffer.from(JSON.stringify({ pattern: 'like.command', id: 'rpc', data: { ...bad, liked: 'yes' } })),
      ...valid,
    ]);
    await settled(lastWriterState(valid), logbookIds);
    const dead = await waitFor('5 dead letters', async () => ((await queueDepths()).dead - before === 5 ? 5 : undefined));
    expect(dead).toBe(5);
  });

  it('pauses while Postgres refuses connections, then drains the backlog when it is back', async () => {
    const { userIds, logbookIds } = await seedWorld(db, 'pgdown', 4, 4);
    const commands = commandsOver(userIds, logbookIds, 200);
    const c = await start({ LIKE_BATCH_SIZE: '50' });
    const deadBefore = (await queueDepths()).dead;
    const restore = await refuseConnections('likes-test');
    try {
      await publishLikes(commands);
      await waitFor('the consumer to pause', async () => (c.logs.some((l) => String(l.msg).includes('not written')) ? true : undefined));
      await new Promise((r) => setTimeout(r, 500));
      expect((await queueDepths()).dead).toBe(deadBefore);
    } finally {
      await restore();
    }
    db = await connectDb();
    await settled(lastWriterState(commands), logbookIds);
    expect(c.logs.some((l) => String(l.msg).includes('consuming again'))).toBe(true);
    expect((await queueDepths()).dead).toBe(deadBefore);
    expect(c.child.exitCode).toBeNull();
  });
});
