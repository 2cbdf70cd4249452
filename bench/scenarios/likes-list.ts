import { measureApi, measureBare } from '../lib/measure.js';
import { type BenchContext, type ScenarioResult, barChart, markdownTable, round } from '../lib/scenario.js';
import { signin, startApi } from '../lib/stack.js';

const PATH = '/api/logbooks/likes/';
const SEED_PREFETCH_RPS = 17.8;

/**
 * Scenario 1: GET /api/logbooks/likes/ at 50 connections with a token, cached, uncached
 * (CACHE_RESPONSES=false) and from bare Fastify serving the same bytes, each on the same pinned core.
 * SQL per request comes from Postgres (committed transactions of the benchmark's database, read with
 * the API stopped so that every backend has reported).
 */
export async function likesList(ctx: BenchContext): Promise<ScenarioResult> {
  const api = await startApi();
  const token = await signin(api.url, 0);
  const headers = { Authorization: `Bearer ${token}` };
  const body = Buffer.from(await (await fetch(`${api.url}${PATH}`, { headers })).arrayBuffer());
  await api.stop();

  const options = { url: PATH, connections: 50, headers };
  const cached = await measureApi(ctx, {}, options, 'cached');
  const uncached = await measureApi(ctx, { CACHE_RESPONSES: 'false' }, options, 'uncached');
  const bare = await measureBare(ctx, body, PATH, { connections: 50, headers });

  const share = cached.rps / bare.rps;
  const rows = [
    ['bare Fastify, same bytes', bare.rps, bare.p50, bare.p97_5, bare.p99, bare.errors + bare.non2xx, '–', 'the ceiling'],
    [
      'ours, cached',
      cached.rps,
      cached.p50,
      cached.p97_5,
      cached.p99,
      cached.errors + cached.non2xx,
      cached.sqlPerRequest,
      'Django: 45.64 ms avg; seed stack here 123 rps (352 persistent conns)',
    ],
    [
      'ours, uncached',
      uncached.rps,
      uncached.p50,
      uncached.p97_5,
      uncached.p99,
      uncached.errors + uncached.non2xx,
      uncached.sqlPerRequest,
      `Django: 2.8 rps naive (977 SQL/req), ${SEED_PREFETCH_RPS} rps prefetch`,
    ],
  ];
  return {
    name: 'likes-list',
    title: `Likes list, 50 connections, with a token (payload ${round(body.length / 1024)} KB)`,
    table: markdownTable(['server', 'rps', 'p50 ms', 'p97.5 ms', 'p99 ms', 'errors', 'SQL/request', 'the seeds'], rows),
    figures: { payloadBytes: body.length, bare, cached, uncached, cachedShareOfBare: round(share, 3) },
    chart: barChart(
      'Likes list: requests per second',
      [
        { server: 'bare Fastify', rps: bare.rps },
        { server: 'cached', rps: cached.rps },
        { server: 'uncached', rps: uncached.rps },
      ],
      'server',
      'rps',
    ),
    targets: [
      { what: 'cached likes list vs bare Fastify', target: '≥ 40 % of its rps', reached: `${round(share * 100)} %`, met: share >= 0.4 },
      { what: 'cached likes list p99', target: '≤ 10 ms', reached: `${cached.p99} ms`, met: cached.p99 <= 10 },
      {
        what: 'uncached likes list SQL',
        target: 'exactly 1 query per request',
        reached: `${uncached.sqlPerRequest} per request (Postgres statistics)`,
        met: Math.abs(uncached.sqlPerRequest - 1) < 0.05,
      },
      {
        what: 'uncached likes list rps',
        target: `≥ 50 × ${SEED_PREFETCH_RPS} = ${round(50 * SEED_PREFETCH_RPS)} rps`,
        reached: `${uncached.rps} rps (${round(uncached.rps / SEED_PREFETCH_RPS)} ×)`,
        met: uncached.rps >= 50 * SEED_PREFETCH_RPS,
      },
    ],
  };
}
