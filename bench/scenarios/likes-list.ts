import type { LoadFigures } from '../lib/load.js';
import { measureApi, measureBare } from '../lib/measure.js';
import { type BenchContext, type ScenarioResult, type TargetCheck, barChart, markdownTable, round } from '../lib/scenario.js';
import { PLACEMENTS, type Placement, signin, startApi } from '../lib/stack.js';

const PATH = '/api/logbooks/likes/';
const SEED_PREFETCH_RPS = 17.8;
/** Share of bare Fastify's rps the cached list must reach, per placement. */
const CACHED_SHARE: Record<Placement, number> = { pinned: 0.65, defaults: 0.5 };
const PLACED: Record<Placement, string> = {
  pinned: 'pinned (servers CPU 0, generator CPU 1, LOG_LEVEL=warn)',
  defaults: 'unpinned at the shipped defaults (as `npm start` runs it)',
};

const cpu = (f: LoadFigures) => f.cpuUsPerRequest ?? '–';
/** Bare Fastify's CPU per request over ours: the share of its rps ours would reach where the server's core is the limit. */
const cpuShare = (bare: LoadFigures, ours: LoadFigures) =>
  bare.cpuUsPerRequest && ours.cpuUsPerRequest ? `${round((100 * bare.cpuUsPerRequest) / ours.cpuUsPerRequest)} %` : '–';

/**
 * Scenario 1: GET /api/logbooks/likes/ at 50 connections with a token, cached, uncached
 * (CACHE_RESPONSES=false) and from bare Fastify serving the same bytes, once pinned and once at the
 * shipped defaults (see Placement). SQL per request comes from Postgres (committed transactions of
 * the benchmark's database, read with the API stopped so that every backend has reported).
 */
export async function likesList(ctx: BenchContext): Promise<ScenarioResult> {
  const api = await startApi();
  const token = await signin(api.url, 0);
  const headers = { Authorization: `Bearer ${token}` };
  const body = Buffer.from(await (await fetch(`${api.url}${PATH}`, { headers })).arrayBuffer());
  await api.stop();

  const options = { url: PATH, connections: 50, headers };
  const rows = [];
  const targets: TargetCheck[] = [];
  const figures: Record<string, unknown> = { payloadBytes: body.length };
  const chart = [];
  for (const placement of PLACEMENTS) {
    const cached = await measureApi(ctx, {}, options, `cached, ${placement}`, placement);
    const uncached = await measureApi(ctx, { CACHE_RESPONSES: 'false' }, options, `uncached, ${placement}`, placement);
    const bare = await measureBare(ctx, body, PATH, { connections: 50, headers }, placement);
    const share = cached.rps / bare.rps;
    figures[placement] = { bare, cached, uncached, cachedShareOfBare: round(share, 3) };
    rows.push(
      [
        placement,
        'bare Fastify, same bytes',
        bare.rps,
        bare.p50,
        bare.p97_5,
        bare.p99,
        bare.errors + bare.non2xx,
        '–',
        cpu(bare),
        'the ceiling',
      ],
      [
        placement,
        'ours, cached',
        cached.rps,
        cached.p50,
        cached.p97_5,
        cached.p99,
        cached.errors + cached.non2xx,
        cached.sqlPerRequest,
        cpu(cached),
        'Django: 45.64 ms avg; seed stack here 123 rps (352 persistent conns)',
      ],
      [
        placement,
        'ours, uncached',
        uncached.rps,
        uncached.p50,
        uncached.p97_5,
        uncached.p99,
        uncached.errors + uncached.non2xx,
        uncached.sqlPerRequest,
        cpu(uncached),
        `Django: 2.8 rps naive (977 SQL/req), ${SEED_PREFETCH_RPS} rps prefetch`,
      ],
    );
    chart.push(
      { server: 'bare Fastify', placement, rps: bare.rps },
      { server: 'cached', placement, rps: cached.rps },
      { server: 'uncached', placement, rps: uncached.rps },
    );
    targets.push(
      {
        what: `cached likes list vs bare Fastify, ${PLACED[placement]}`,
        target: `≥ ${CACHED_SHARE[placement] * 100} % of its rps`,
        reached: `${round(share * 100)} % (${cached.rps} / ${bare.rps} rps; by CPU per request ${cpuShare(bare, cached)})`,
        met: share >= CACHED_SHARE[placement],
      },
      { what: `cached likes list p99, ${placement}`, target: '≤ 10 ms', reached: `${cached.p99} ms`, met: cached.p99 <= 10 },
      {
        what: `uncached likes list rps, ${placement}`,
        target: `≥ 50 × ${SEED_PREFETCH_RPS} = ${round(50 * SEED_PREFETCH_RPS)} rps`,
        reached: `${uncached.rps} rps (${round(uncached.rps / SEED_PREFETCH_RPS)} ×)`,
        met: uncached.rps >= 50 * SEED_PREFETCH_RPS,
      },
    );
    if (placement === 'pinned')
      targets.push({
        what: 'uncached likes list SQL',
        target: 'exactly 1 query per request',
        reached: `${uncached.sqlPerRequest} per request (Postgres statistics)`,
        met: Math.abs(uncached.sqlPerRequest - 1) < 0.05,
      });
  }
  return {
    name: 'likes-list',
    title: `Likes list, 50 connections, with a token (payload ${round(body.length / 1024)} KB), pinned and at the shipped defaults`,
    table: markdownTable(
      ['placement', 'server', 'rps', 'p50 ms', 'p97.5 ms', 'p99 ms', 'errors', 'SQL/request', 'server CPU µs/request', 'the seeds'],
      rows,
    ),
    figures,
    chart: barChart('Likes list: requests per second', chart, 'server', 'rps', 'placement'),
    targets,
    notes: [
      `Placements: ${PLACEMENTS.map((p) => `**${p}**: ${PLACED[p]}`).join('; ')}. At the defaults the API is a child of concurrently as under \`npm start\`, logging at info, and server, generator and bare Fastify share both cores.`,
    ],
  };
}
