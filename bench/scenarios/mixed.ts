import autocannon, { type Options } from 'autocannon';
import pg from 'pg';
import { type BenchContext, type ScenarioResult, barChart, markdownTable, round } from '../lib/scenario.js';
import { signin, startApi, startConsumer } from '../lib/stack.js';

const READERS = 50;
const WRITERS = 50;

interface MixedRun {
  readRps: number;
  readP99: number;
  hitRatio: number;
  likeRps: number;
  likeP99: number;
  readErrors: number;
  likeErrors: number;
}

/**
 * Reads and likes at once (no baseline stack was measured so): 50 connections reading the feed page and
 * logbook details (anonymous, every other request the feed's first page, the others the dataset's
 * logbooks in turn) while 50 connections like and unlike the same logbooks as 20 users, with the
 * consumer applying them. The cache hit ratio of the reads (X-Cache) is what invalidation costs: a
 * like batch makes stale only the views that show a logbook it changed.
 */
export async function mixed(ctx: BenchContext): Promise<ScenarioResult> {
  const db = new pg.Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  const ids = (await db.query<{ id: string }>('SELECT id FROM logbooks ORDER BY id LIMIT 500')).rows.map((r) => r.id);
  await db.end();
  const consumer = await startConsumer();
  const api = await startApi();
  const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => signin(api.url, i)));
  let hits = 0;
  let reads = 0;
  const countHit = (_status: number, _body: string, _context: unknown, headers?: Record<string, string>) => {
    reads++;
    if (headers?.['x-cache'] === 'HIT') hits++;
  };
  const readRequests = Array.from({ length: 2 * ids.length }, (_, i) => ({
    method: 'GET' as const,
    path: i % 2 ? `/api/logbooks/${ids[(i >> 1) % ids.length]}/` : '/api/logbooks/',
    onResponse: countHit,
  }));
  // Likers spread over the logbooks in another order than the readers, as many likes as unlikes.
  const likeRequests = Array.from({ length: 800 }, (_, i) => ({
    method: (i % 2 ? 'DELETE' : 'POST') as 'DELETE' | 'POST',
    path: `/api/logbooks/${ids[(i * 37) % ids.length]}/like/`,
    headers: { Authorization: `Bearer ${tokens[i % tokens.length]}` },
  }));
  const both = (seconds: number) =>
    Promise.all([
      autocannon({ url: api.url, connections: READERS, requests: readRequests, duration: seconds } as Options),
      autocannon({ url: api.url, connections: WRITERS, requests: likeRequests, duration: seconds }),
    ]);
  const runs: MixedRun[] = [];
  try {
    await both(Math.max(1, Math.round(ctx.plan.seconds / 2)));
    for (let i = 0; i < ctx.plan.runs; i++) {
      hits = 0;
      reads = 0;
      const [r, w] = await both(ctx.plan.seconds);
      runs.push({
        readRps: Math.round(r.requests.total / r.duration),
        readP99: r.latency.p99,
        hitRatio: reads ? round(hits / reads, 3) : 0,
        likeRps: Math.round(w['2xx'] / w.duration),
        likeP99: w.latency.p99,
        readErrors: r.errors + r.timeouts + r.non2xx,
        likeErrors: w.errors + w.timeouts + w.non2xx,
      });
      const run = runs[i];
      console.log(`  mixed: run ${i + 1}/${ctx.plan.runs} reads ${run.readRps} rps (hit ratio ${run.hitRatio}), likes ${run.likeRps}/s`);
    }
  } finally {
    await api.stop();
    await consumer.stop();
  }
  const m = runs.toSorted((a, b) => a.readRps - b.readRps)[Math.floor(runs.length / 2)];
  return {
    name: 'mixed',
    title: `Reads during a like storm: ${READERS} connections on the feed page and logbook details, ${WRITERS} liking and unliking`,
    table: markdownTable(
      ['', 'read rps', 'read p99 ms', 'cache hit ratio', 'likes/s', 'like p99 ms', 'errors (read / like)'],
      [['ours', m.readRps, m.readP99, `${round(m.hitRatio * 100)} %`, m.likeRps, m.likeP99, `${m.readErrors} / ${m.likeErrors}`]],
    ),
    figures: { median: m, runs },
    chart: barChart(
      'Mixed: reads and likes per second',
      [
        { what: 'reads', perSecond: m.readRps },
        { what: 'likes', perSecond: m.likeRps },
      ],
      'what',
      'perSecond',
    ),
    targets: [
      {
        what: 'reads during a like storm: cache hit ratio',
        target: 'views stale only when a like changed what they show',
        reached: `${round(m.hitRatio * 100)} % of ${m.readRps} rps, ${m.likeRps} likes/s`,
        met: m.readErrors === 0 && m.likeErrors === 0,
      },
    ],
  };
}
