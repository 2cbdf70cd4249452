import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { validateEnv } from '@app/config';
import { Commands, type LikeCommand, MessagingEnv, assertTopology, commandMessage, queueName } from '@app/messaging';
import { type LoadPlan, load } from '../lib/load.js';
import { type BenchContext, type ScenarioResult, markdownTable, round } from '../lib/scenario.js';
import { signin, startApi } from '../lib/stack.js';

/**
 * The like queue's messages and the commands they hold (a message is a list of commands, or one
 * alone), read off the queue, which is then empty. `purge`: only empty it.
 */
async function queuedLikes(purge = false): Promise<{ messages: number; commands: number }> {
  const env = validateEnv(MessagingEnv);
  const conn = await amqp.connect(env.RABBITMQ_URL);
  const channel = await conn.createConfirmChannel();
  await assertTopology(channel, env); // this scenario may run first, before any app declared the queues
  const queue = queueName(env.QUEUE_PREFIX, 'likes');
  const { messageCount } = await channel.checkQueue(queue);
  let commands = 0;
  if (!purge && messageCount > 0) {
    let seen = 0;
    await new Promise<void>((resolve) => {
      void channel.consume(
        queue,
        (message) => {
          if (!message) return;
          const { data } = JSON.parse(message.content.toString()) as { data: unknown };
          commands += Commands.like.parse(data)?.length ?? 0;
          if (++seen === messageCount) resolve();
        },
        { noAck: true },
      );
    });
  }
  await channel.purgeQueue(queue);
  await conn.close();
  return { messages: messageCount, commands };
}

const IN_FLIGHT = 50;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

/**
 * What one command per message reaches on this machine: the broker alone, taking a like message of
 * one command (the API's body, properties and queue) from one confirm channel with as many publishes
 * in flight as the HTTP run has connections, each sent when one is confirmed. Run from the generator's
 * core with no API on the other: the ceiling of any API that publishes each like alone, as ours did
 * before it gathered them. The median of plan.runs.
 */
async function brokerAlone(plan: LoadPlan): Promise<{ rps: number; p50: number; p99: number }> {
  const env = validateEnv(MessagingEnv);
  const conn = await amqp.connect(env.RABBITMQ_URL);
  const channel = await conn.createConfirmChannel();
  const queue = queueName(env.QUEUE_PREFIX, 'likes');
  let version = BigInt(Date.now()) * 1000n;
  const publishOne = () =>
    new Promise<number>((resolve, reject) => {
      const command: LikeCommand = { id: randomUUID(), userId: 1, logbookId: 1, liked: true, version: String(version++) };
      const { body, options } = commandMessage(Commands.like.pattern, command.id, command);
      const t0 = performance.now();
      channel.sendToQueue(queue, body, options, (err) => (err ? reject(err) : resolve(performance.now() - t0)));
    });
  const run = async (seconds: number) => {
    const latencies: number[] = [];
    const end = performance.now() + seconds * 1000;
    const lane = async () => {
      while (performance.now() < end) latencies.push(await publishOne());
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    const elapsed = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      rps: Math.round(latencies.length / elapsed),
      p50: round(percentile(latencies, 50), 1),
      p99: round(percentile(latencies, 99), 1),
    };
  };
  try {
    await run(Math.max(1, Math.round(plan.seconds / 2)));
    const runs = [];
    for (let i = 0; i < plan.runs; i++) {
      runs.push(await run(plan.seconds));
      await channel.purgeQueue(queue);
    }
    runs.sort((a, b) => a.rps - b.rps);
    const median = runs[Math.floor(runs.length / 2)];
    console.log(`  broker alone, ${IN_FLIGHT} in flight: ${median.rps} confirmed/s, p50 ${median.p50} ms, p99 ${median.p99} ms`);
    return median;
  } finally {
    await channel.purgeQueue(queue);
    await conn.close();
  }
}

/**
 * Scenario 3: POST/DELETE …/like/ at 50 connections from 20 users over the dataset's logbooks, with no
 * consumer running, so the queue afterwards holds exactly what the broker confirmed: its commands
 * must be at least the number of 202s (every 202 reached the queue).
 */
export async function likeIngestion(ctx: BenchContext): Promise<ScenarioResult> {
  const db = new pg.Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  const { rows } = await db.query<{ id: number }>('SELECT id FROM logbooks ORDER BY id LIMIT 500');
  await db.end();
  await queuedLikes(true);

  const api = await startApi();
  const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => signin(api.url, i)));
  const requests = Array.from({ length: 400 }, (_, i) => ({
    method: (i % 2 ? 'DELETE' : 'POST') as 'DELETE' | 'POST',
    path: `/api/logbooks/${rows[(i * 37) % rows.length].id}/like/`,
    headers: { Authorization: `Bearer ${tokens[i % tokens.length]}` },
  }));
  // A fresh API's like rate climbs for its first ~20 s under this load (1,200 → 7,000 rps over six
  // 3 s runs, the same for a second API after the first: not the generator, nor the broker's queue),
  // so the warm-up is longer here than elsewhere: the runs measure the rate it keeps.
  const warmSeconds = ctx.quick ? 2 : 4 * ctx.plan.seconds;
  const result = await load({ url: api.url, connections: 50, requests }, ctx.plan, 'like commands', undefined, warmSeconds);
  await api.stop();
  const allAccepted = result.runs.reduce((n, r) => n + r.ok, 0);
  const { messages, commands: queued } = await queuedLikes();
  const broker = await brokerAlone(ctx.plan);
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
          `${queued} commands in ${messages} messages for ${result.allRequests} requests`,
        ],
        ['the broker alone, one command a message (no API, no HTTP)', broker.rps, broker.p50, '', broker.p99, 0, `${IN_FLIGHT} in flight`],
        ['the seed', 'Celery task (no figure)', '', '', '', '', ''],
      ],
    ),
    notes: [
      `"The broker alone" is, in the same run, what one command per message can reach here: RabbitMQ taking a like message of one ` +
        `command (the API's body and properties, quorum queue) from one confirm channel with ${IN_FLIGHT} publishes in flight, as the ` +
        `HTTP run has ${IN_FLIGHT} connections, sent from the generator's core with no API running. The API gathers the likes of one ` +
        `event-loop turn into one message (${round(queued / Math.max(1, messages), 1)} commands a message on average here), ` +
        `which is how it reached ${round((100 * result.rps) / broker.rps)} % of that ceiling.`,
    ],
    figures: { ...result, queued, messages, broker },
    targets: [
      {
        what: 'like commands accepted',
        target: '≥ 8,000/s',
        reached: `${result.rps}/s (one command a message, the broker alone, same run: ${broker.rps}/s)`,
        met: result.rps >= 8_000,
      },
      { what: 'like command p99', target: '≤ 25 ms', reached: `${result.p99} ms`, met: result.p99 <= 25 },
      {
        what: 'every 202 confirmed and queued',
        target: 'commands queued ≥ 202s',
        reached: `${queued} commands queued (${messages} messages) ≥ ${allAccepted} answered 202 in the measured runs`,
        met: accountedFor && result.errors === 0,
      },
    ],
  };
}
