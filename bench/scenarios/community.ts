import type { Options } from 'autocannon';
import { load } from '../lib/load.js';
import { type BenchContext, type ScenarioResult, markdownTable, round } from '../lib/scenario.js';
import { committedTransactions, startApi } from '../lib/stack.js';

const CONNECTIONS = 50;
/** Words of dataset v1 that hit different categories: sites, usernames, job locations, bucket lists, job titles. */
const SEARCH_TERMS = ['Blue', 'user1', 'Jeju', 'Great', 'Boat crew', 'Raja'];

/**
 * One load run against a fresh API with `env`, and the SQL statements each request cost, from
 * Postgres's statistics (committed transactions, read with the API stopped so that every backend has
 * reported; what booting and stopping the API costs is measured once and taken out).
 */
async function measured(ctx: BenchContext, env: Record<string, string>, options: Omit<Options, 'url'>, label: string) {
  const before = await committedTransactions(ctx.databaseUrl);
  await (await startApi(env)).stop();
  const boot = (await committedTransactions(ctx.databaseUrl)) - before;
  const api = await startApi(env);
  const figures = await load({ ...options, url: api.url, connections: CONNECTIONS }, ctx.plan, label);
  await api.stop();
  const sqlPerRequest = ((await committedTransactions(ctx.databaseUrl)) - before - 2 * boot) / figures.allRequests;
  return { ...figures, sqlPerRequest: round(sqlPerRequest, 3) };
}

const row = (label: string, f: Awaited<ReturnType<typeof measured>>, note: string) => [
  label,
  f.rps,
  f.p50,
  f.p99,
  f.errors + f.non2xx,
  f.sqlPerRequest,
  note,
];
const HEAD = ['', 'rps', 'p50 ms', 'p99 ms', 'errors', 'SQL/request', 'the original'];

/** The home page's rankings, uncached (CACHE_RESPONSES=false), 50 connections, anonymous. */
export async function homeStats(ctx: BenchContext): Promise<ScenarioResult> {
  const uncached = { CACHE_RESPONSES: 'false' };
  const members = await measured(ctx, uncached, { requests: [{ path: '/api/home/top_level_members' }] }, 'top members');
  const spots = await measured(ctx, uncached, { requests: [{ path: '/api/home/the_most_visited_spots' }] }, 'visited spots');
  const one = (f: typeof members) => Math.abs(f.sqlPerRequest - 1) < 0.05;
  return {
    name: 'home-stats',
    title: `Home stats uncached, ${CONNECTIONS} connections (dataset v1)`,
    table: markdownTable(HEAD, [
      row('top_level_members', members, 'a loop over users × logbooks, a query per logbook'),
      row('the_most_visited_spots', spots, 'every logbook loaded and counted in Python'),
    ]),
    figures: { members, spots },
    targets: [
      {
        what: 'top members SQL',
        target: '1 statement per request',
        reached: `${members.sqlPerRequest} (Postgres statistics)`,
        met: one(members),
      },
      {
        what: 'most visited spots SQL',
        target: '1 statement per request',
        reached: `${spots.sqlPerRequest} (Postgres statistics)`,
        met: one(spots),
      },
    ],
  };
}

/** GET /api/search/?q= over a rotation of dataset v1 words, 50 connections, anonymous: cached (a term once searched is a hit) and uncached. */
export async function search(ctx: BenchContext): Promise<ScenarioResult> {
  // One counter for all connections: a `requests` list would start every connection at its first entry.
  let next = 0;
  const requests = [
    {
      setupRequest: (req: object) => ({ ...req, path: `/api/search/?q=${encodeURIComponent(SEARCH_TERMS[next++ % SEARCH_TERMS.length])}` }),
    },
  ];
  const found = await measured(ctx, {}, { requests }, 'search');
  next = 0;
  const uncached = await measured(ctx, { CACHE_RESPONSES: 'false' }, { requests }, 'search uncached');
  return {
    name: 'search',
    title: `Search, ${CONNECTIONS} connections, q rotating over ${SEARCH_TERMS.length} words (dataset v1)`,
    table: markdownTable(HEAD, [
      row('GET /api/search/?q=, cached (the default)', found, 'six unbounded querysets, emails included'),
      row('GET /api/search/?q=, uncached', uncached, ''),
    ]),
    figures: { terms: SEARCH_TERMS, found, uncached },
    targets: [
      {
        what: `search at ${CONNECTIONS} connections`,
        target: '≥ 1,000 rps, p99 ≤ 50 ms',
        reached: `${found.rps} rps, p99 ${found.p99} ms`,
        met: found.rps >= 1_000 && found.p99 <= 50,
      },
      {
        what: 'search SQL',
        target: 'a fixed number of statements per request',
        reached: `${uncached.sqlPerRequest} per uncached request (Postgres statistics)`,
        met: Math.abs(uncached.sqlPerRequest - 1) < 0.05,
      },
    ],
  };
}
