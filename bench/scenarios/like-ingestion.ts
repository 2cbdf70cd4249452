import amqp from 'amqplib';
import pg from 'pg';
import { validateEnv } from '@app/config';
import { MessagingEnv, assertTopology, queueName } from '@app/messaging';
import { load } from '../lib/load.js';
import { type BenchContext, type ScenarioResult, markdownTable } from '../lib/scenario.js';
import { signin, startApi } from '../lib/stack.js';

async function likeQueueDepth(purge = false): Promise<number> {
  const env = validateEnv(MessagingEnv);
  const conn = await amqp.connect(env.RABBITMQ_URL);
  const channel = await conn.createConfirmChannel();
  await assertTopology(channel, env); // this scenario may run first, before any app declared the queues
  const { messageCount } = await channel.checkQueue(queueName(env.QUEUE_PREFIX, 'likes'));
  if (purge) await channel.purgeQueue(queueName(env.QUEUE_PREFIX, 'likes'));
  await conn.close();
  return messageCount;
}

/**
 * Scenario 3: POST/DELETE …/like/ at 50 connections from 20 users over the dataset's logbooks, with no
 * consumer running, so the queue's depth afterwards counts exactly what the broker confirmed: it must
 * be at least the number of 202s (every 202 reached the queue).
 */
export async function likeIngestion(ctx: BenchContext): Promise<ScenarioResult> {
  const db = new pg.Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  const { rows } = await db.query<{ id: number }>('SELECT id FROM logbooks ORDER BY id LIMIT 500');
  await db.end();
  await likeQueueDepth(true);

  const api = await startApi();
  const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => signin(api.url, i)));
  const requests = Array.from({ length: 400 }, (_, i) => ({
    method: (i % 2 ? 'DELETE' : 'POST') as 'DELETE' | 'POST',
    path: `/api/logbooks/${rows[(i * 37) % rows.length].id}/like/`,
    headers: { Authorization: `Bearer ${tokens[i % tokens.length]}` },
  }));
  const result = await load({ url: api.url, connections: 50, requests }, ctx.plan, 'like commands');
  await api.stop();
  const allAccepted = result.runs.reduce((n, r) => n + r.ok, 0);
  const queued = await likeQueueDepth(true);
  // The warm-up's 202s are in the queue too: every run's, plus the warm-up's, at most `queued`.
  const accountedFor = queued >= allAccepted;
  return {
    name: 'like-ingestion',
    title: 'Like commands accepted (POST/DELETE …/like/, 50 connections, publisher confirms)',
    table: markdownTable(
      ['', 'accepted/s', 'p50 ms', 'p97.5 ms', 'p99 ms', 'errors', 'in the queue after'],
      [
        [
          'ours',
          result.rps,
          result.p50,
          result.p97_5,
          result.p99,
          result.errors + result.non2xx,
          `${queued} messages for ${result.allRequests} requests`,
        ],
        ['the seed', 'Celery task (no figure)', '', '', '', '', ''],
      ],
    ),
    figures: { ...result, queued },
    targets: [
      { what: 'like commands accepted', target: '≥ 8,000/s', reached: `${result.rps}/s`, met: result.rps >= 8_000 },
      { what: 'like command p99', target: '≤ 25 ms', reached: `${result.p99} ms`, met: result.p99 <= 25 },
      {
        what: 'every 202 confirmed and queued',
        target: 'queue depth ≥ 202s',
        reached: `${queued} queued ≥ ${allAccepted} answered 202 in the measured runs`,
        met: accountedFor && result.errors === 0,
      },
    ],
  };
}
