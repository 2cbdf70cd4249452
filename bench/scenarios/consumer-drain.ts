import amqp from 'amqplib';
import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { validateEnv } from '@app/config';
import { MessagePatterns, MessagingEnv, assertTopology, queueName } from '@app/messaging';
import { type BenchContext, type ScenarioResult, barChart, markdownTable, round } from '../lib/scenario.js';
import { startConsumer } from '../lib/stack.js';

let nextVersion = BigInt(Date.now()) << 21n;

/** What a preload published: per distinct (user, logbook) key, the version of its newest command. */
export interface Preloaded {
  keys: number;
  newest: { users: number[]; logbooks: number[]; versions: string[] };
}

/** Publishes `n` like commands over the dataset's keys (confirmed). */
export async function preload(n: number, users: number[], logbooks: number[]): Promise<Preloaded> {
  const env = validateEnv(MessagingEnv);
  const conn = await amqp.connect(env.RABBITMQ_URL);
  const channel = await conn.createConfirmChannel();
  // Run alone (--only), this scenario publishes before any app has declared the queues, and the
  // default exchange drops a message for a missing queue while still confirming it.
  await assertTopology(channel, env);
  const newest = new Map<string, { userId: number; logbookId: number; version: string }>();
  let returned = 0;
  channel.on('return', () => returned++);
  for (let i = 0; i < n; i++) {
    const userId = users[(i * 7919) % users.length];
    const logbookId = logbooks[(i * 104_729) % logbooks.length];
    const data = { id: `b${i}`, userId, logbookId, liked: i % 3 !== 0, version: (++nextVersion).toString() };
    newest.set(`${userId}:${logbookId}`, data);
    if (
      !channel.sendToQueue(queueName(env.QUEUE_PREFIX, 'likes'), Buffer.from(JSON.stringify({ pattern: MessagePatterns.like, data })), {
        persistent: true,
        mandatory: true,
      })
    ) {
      await new Promise((r) => channel.once('drain', r));
    }
    if (i % 5_000 === 4_999) await channel.waitForConfirms();
  }
  await channel.waitForConfirms();
  await conn.close();
  if (returned > 0) throw new Error(`${returned} of ${n} like commands were unroutable`);
  const last = [...newest.values()];
  return {
    keys: last.length,
    newest: { users: last.map((c) => c.userId), logbooks: last.map((c) => c.logbookId), versions: last.map((c) => c.version) },
  };
}

/**
 * A drain that stops short would otherwise be waited for forever: fail once `STALL_MS` pass with no
 * progress, saying where it stood.
 */
const STALL_MS = 60_000;
function stallDeadline(what: string) {
  let best = -Infinity;
  let since = performance.now();
  return {
    progress(state: string, measure: number) {
      if (measure > best) [best, since] = [measure, performance.now()];
      else if (performance.now() - since > STALL_MS) throw new Error(`${what}: no progress for ${STALL_MS / 1000} s at ${state}`);
    },
  };
}

/**
 * Waits until the queue has handed everything out, watching it (cheap), then the table for the last
 * batches: every key at the version of its newest command (a key at any of its newer commands is not
 * enough: the commands still in the consumer's prefetch window would go uncounted).
 */
const COMMITTED_SQL = `
  SELECT count(*)::int AS n
    FROM likes k JOIN unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS t(user_id, logbook_id, version)
         ON k.user_id = t.user_id AND k.logbook_id = t.logbook_id AND k.version = t.version`;
export async function waitForDrain(
  queue: amqp.Channel,
  likes: string,
  db: pg.Client,
  { keys, newest }: Preloaded,
  what: string,
): Promise<void> {
  const stall = stallDeadline(what);
  // Each loop sleeps only between checks: a sleep after the last one would be timed as drain.
  for (;;) {
    const left = (await queue.checkQueue(likes)).messageCount;
    if (left === 0) break;
    stall.progress(`${left} in the queue`, -left);
    await sleep(20);
  }
  for (;;) {
    const { rows } = await db.query(COMMITTED_SQL, [newest.users, newest.logbooks, newest.versions]);
    const done: number = rows[0].n;
    if (done === keys) break;
    stall.progress(`${done} of ${keys} keys committed`, done);
    await sleep(10);
  }
}

/**
 * Scenario 4: 1k, 10k (and 100k) like commands preloaded in the queue, then a consumer started: the
 * time from its readiness until every key's newest command is committed. The batching flusher
 * (LIKE_BATCH_SIZE at its default) against the same consumer writing one message per transaction
 * (LIKE_BATCH_SIZE=1: per message its lock and its one-row upsert, as a per-command ORM save would do).
 */
export async function consumerDrain(ctx: BenchContext): Promise<ScenarioResult> {
  const db = new pg.Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  const users = (await db.query<{ id: number }>('SELECT id FROM users ORDER BY id')).rows.map((r) => Number(r.id));
  const logbooks = (await db.query<{ id: number }>('SELECT id FROM logbooks ORDER BY id')).rows.map((r) => Number(r.id));
  const sizes = ctx.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const naiveSizes = ctx.quick ? [1_000] : [1_000, 10_000];
  const env = validateEnv(MessagingEnv);
  const likes = queueName(env.QUEUE_PREFIX, 'likes');
  const conn = await amqp.connect(env.RABBITMQ_URL);
  const queue = await conn.createChannel();
  const runs: Array<{ path: string; commands: number; keys: number; seconds: number; perSecond: number }> = [];
  for (const [path, batch, list] of [
    ['batched', undefined, sizes],
    ['one per message', '1', naiveSizes],
  ] as const) {
    for (const n of list) {
      const preloaded = await preload(n, users, logbooks);
      const consumer = await startConsumer(batch ? { LIKE_BATCH_SIZE: batch } : {});
      const t0 = performance.now();
      await waitForDrain(queue, likes, db, preloaded, `drain ${path} of ${n}`);
      const seconds = (performance.now() - t0) / 1000;
      await consumer.stop();
      runs.push({ path, commands: n, keys: preloaded.keys, seconds: round(seconds, 3), perSecond: Math.round(n / seconds) });
      console.log(`  drain ${path}: ${n} commands in ${seconds.toFixed(3)} s`);
    }
  }
  await db.end();
  await conn.close();
  const at = (path: string, n: number) => runs.find((r) => r.path === path && r.commands === n);
  const largest = at('batched', sizes[sizes.length - 1])!;
  const compareAt = naiveSizes[naiveSizes.length - 1];
  const speedup = at('one per message', compareAt)!.seconds / at('batched', compareAt)!.seconds;
  const hundredK = at('batched', 100_000);
  return {
    name: 'consumer-drain',
    title: 'Consumer drain: like commands queued → committed',
    table: markdownTable(
      ['path', 'commands', 'keys', 'seconds', 'commands/s', 'the seed (100k)'],
      runs.map((r) => [r.path, r.commands, r.keys, r.seconds, r.perSecond, r.path === 'batched' ? 'JDBC batch 3.6 s' : 'JPA saveAll 53 s']),
    ),
    figures: { runs, speedupAt: compareAt, speedup: round(speedup, 1) },
    chart: barChart(
      'Drain: commands per second',
      runs.map((r) => ({ size: `${r.commands / 1000}k`, path: r.path, perSecond: r.perSecond })),
      'size',
      'perSecond',
      'path',
    ),
    targets: [
      hundredK
        ? { what: '100k like commands queued → committed', target: '≤ 4 s', reached: `${hundredK.seconds} s`, met: hundredK.seconds <= 4 }
        : {
            what: '100k like commands queued → committed',
            target: '≤ 4 s',
            reached: `not run in --quick (${largest.commands} in ${largest.seconds} s)`,
            met: false,
          },
      {
        what: 'batching vs one statement per message',
        target: '≥ 15 ×',
        reached: `${round(speedup, 1)} × at ${compareAt} commands`,
        met: speedup >= 15,
      },
    ],
  };
}
