import { measureApi, measureBare } from '../lib/measure.js';
import { type BenchContext, type ScenarioResult, barChart, markdownTable, round } from '../lib/scenario.js';
import { signin, startApi } from '../lib/stack.js';

const PATH = '/api/mypage/all/';

/**
 * GET /api/mypage/all/ (every diver with their logbooks, bucket lists and buddies; the client loads it
 * on every page) at 50 connections with a token: cached, uncached (CACHE_RESPONSES=false) and from bare
 * Fastify serving the same bytes, each on the same pinned core. SQL per request comes from Postgres
 * (committed transactions of the benchmark's database, read with the API stopped).
 */
export async function mypageAll(ctx: BenchContext): Promise<ScenarioResult> {
  const api = await startApi();
  const token = await signin(api.url, 0);
  const headers = { Authorization: `Bearer ${token}` };
  const body = Buffer.from(await (await fetch(`${api.url}${PATH}`, { headers })).arrayBuffer());
  const divers = (JSON.parse(body.toString()) as unknown[]).length;
  await api.stop();

  const options = { url: PATH, connections: 50, headers };
  const cached = await measureApi(ctx, {}, options, 'cached');
  const uncached = await measureApi(ctx, { CACHE_RESPONSES: 'false' }, options, 'uncached');
  const bare = await measureBare(ctx, body, PATH, { connections: 50, headers });

  const share = cached.rps / bare.rps;
  const row = (name: string, f: typeof cached | typeof bare, sql: number | string) => [
    name,
    f.rps,
    f.p50,
    f.p97_5,
    f.p99,
    f.errors + f.non2xx,
    sql,
  ];
  return {
    name: 'mypage-all',
    title: `Divers list (mypage/all/), 50 connections, with a token (${divers} divers, payload ${round(body.length / 1024)} KB)`,
    table: markdownTable(
      ['server', 'rps', 'p50 ms', 'p97.5 ms', 'p99 ms', 'errors', 'SQL/request'],
      [
        row('bare Fastify, same bytes', bare, '–'),
        row('ours, cached', cached, cached.sqlPerRequest),
        row('ours, uncached', uncached, uncached.sqlPerRequest),
      ],
    ),
    figures: { payloadBytes: body.length, divers, bare, cached, uncached, cachedShareOfBare: round(share, 3) },
    chart: barChart(
      'mypage/all/: requests per second',
      [
        { server: 'bare Fastify', rps: bare.rps },
        { server: 'cached', rps: cached.rps },
        { server: 'uncached', rps: uncached.rps },
      ],
      'server',
      'rps',
    ),
    targets: [
      { what: 'cached mypage/all/ vs bare Fastify', target: '≥ 40 % of its rps', reached: `${round(share * 100)} %`, met: share >= 0.4 },
      {
        what: 'uncached mypage/all/ SQL',
        target: 'a fixed number per request (1)',
        reached: `${uncached.sqlPerRequest} per request (Postgres statistics)`,
        met: Math.abs(uncached.sqlPerRequest - 1) < 0.05,
      },
    ],
  };
}
