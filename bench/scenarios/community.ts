import type { Options } from 'autocannon';
import { measureApi } from '../lib/measure.js';
import { type BenchContext, type ScenarioResult, markdownTable } from '../lib/scenario.js';

const CONNECTIONS = 50;
/** Words of dataset v1 that hit different categories: sites, usernames, job locations, bucket lists, job titles. */
const SEARCH_TERMS = ['Blue', 'user1', 'Jeju', 'Great', 'Boat crew', 'Raja'];

const measured = (ctx: BenchContext, env: Record<string, string>, options: Omit<Options, 'url'> & { url?: string }, label: string) =>
  measureApi(ctx, env, { url: '', ...options, connections: CONNECTIONS }, label);

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
