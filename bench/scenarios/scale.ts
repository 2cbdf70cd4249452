import amqp from 'amqplib';
import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { validateEnv } from '@app/config';
import { MessagingEnv, queueName } from '@app/messaging';
import { seedV1 } from '../../scripts/seed.js';
import { PASSWORD, USERS, userEmail } from '../lib/dataset-v1.js';
import type { LoadPlan } from '../lib/load.js';
import { type DbTotals, type Endpoint, type ScaleFigures, bootCost, measureEndpoint } from '../lib/scale-measure.js';
import { type ScenarioResult, markdownTable, round } from '../lib/scenario.js';
import { startConsumer } from '../lib/stack.js';
import { benchWorld } from '../lib/world.js';
import { preload, waitForDrain } from './consumer-drain.js';

const CONNECTIONS = 50;
const UNCACHED = { CACHE_RESPONSES: 'false' };
/**
 * Search terms in two rows: five that match logbooks, comments, bucket lists and jobs, and `user1`,
 * whose matches grow faster than the data's other texts (user1, user10…: 11 divers and 64 buddy
 * pairs at × 1, 1,111 and 4,464 at × 100), so that what grows shows under its own name.
 */
const SEARCH_TERMS = ['Blue', 'Jeju', 'Great', 'Boat crew', 'Raja'];
const DIVER_TERM = 'user1';
/** A cost may grow this much faster than its payload before it counts as a defect (run-to-run noise on a shared machine). */
const TOLERANCE = 2;

/**
 * On a machine shared with other work Redis can answer slower than the breaker's 250 ms, which then
 * turns every hit into a miss for a while: the cached figures would measure the machine's load, not
 * the data's size. The breaker has its own tests.
 */
const PATIENT_REDIS = { REDIS_COMMAND_TIMEOUT_MS: '5000' };
const get = (path: string, auth: boolean, env: Record<string, string> = {}): Endpoint => ({
  path,
  auth,
  env: { ...PATIENT_REDIS, ...env },
  connections: CONNECTIONS,
});
/** A cached view: measured beside bare Fastify serving its bytes, and stored only up to `entryCap` bytes. */
const cached = (path: string, auth: boolean, entryCap = DEFAULT_ENTRY_CAP): Endpoint => ({
  ...get(path, auth, entryCap === DEFAULT_ENTRY_CAP ? {} : { CACHE_MAX_ENTRY_BYTES: String(entryCap) }),
  entryCap,
});
/** CACHE_MAX_ENTRY_BYTES's default: past it a view is served but no longer cached. */
const DEFAULT_ENTRY_CAP = 2 * 2 ** 20;
const RAISED_ENTRY_CAP = 64 * 2 ** 20;
const fmt = (n: number | undefined) => (n === undefined ? '–' : `${round(n, n < 10 ? 2 : 0)} ×`);

interface Seeded {
  k: number;
  seconds: number;
  line: string;
  /** What DIVER_TERM matches: divers, and the buddy pairs search reads through them (absent in older results). */
  diverMatches?: { divers: number; pairs: number };
}

interface Row extends ScaleFigures {
  k: number;
  endpoint: string;
  /** A cached view's CACHE_MAX_ENTRY_BYTES in that run (absent in results recorded before it was kept). */
  entryCap?: number;
}

function endpoints(logbooks: number): Array<[string, Endpoint]> {
  let next = 0;
  const search = [
    {
      setupRequest: (req: object) => ({ ...req, path: `/api/search/?q=${encodeURIComponent(SEARCH_TERMS[next++ % SEARCH_TERMS.length])}` }),
    },
  ];
  let user = 0;
  const signinBody = () => JSON.stringify({ email: userEmail(user++ % USERS), password: PASSWORD });
  const json = { 'Content-Type': 'application/json' };
  const lastPage = Math.max(1, Math.ceil(logbooks / 100));
  return [
    ['feed page 1, cached', cached('/api/logbooks/?page_size=100', false)],
    ['feed page 1, uncached', get('/api/logbooks/?page_size=100', false, UNCACHED)],
    [`feed last page, uncached`, get(`/api/logbooks/?page_size=100&page=${lastPage}`, false, UNCACHED)],
    ['likes list, cached', cached('/api/logbooks/likes/', true)],
    ['likes list, uncached', get('/api/logbooks/likes/', true, UNCACHED)],
    // Past CACHE_MAX_ENTRY_BYTES (2 MiB by default; the likes list reaches it near × 35) a view is served but no longer cached.
    ['likes list, cached, 64 MiB entry cap', cached('/api/logbooks/likes/', true, RAISED_ENTRY_CAP)],
    ['mypage/all/, cached', cached('/api/mypage/all/', true)],
    ['mypage/all/, uncached', get('/api/mypage/all/', true, UNCACHED)],
    // mypage/all/ passes 2 MiB near × 7.
    ['mypage/all/, cached, 64 MiB entry cap', cached('/api/mypage/all/', true, RAISED_ENTRY_CAP)],
    // What the client's id → username map needs, without every diver's logbooks.
    ['directory /api/users/, uncached', get('/api/users/', false, UNCACHED)],
    ['search, uncached', { ...get('/api/search/?q=Blue', false, UNCACHED), requests: search }],
    [`search "${DIVER_TERM}", uncached`, get(`/api/search/?q=${DIVER_TERM}`, false, UNCACHED)],
    [
      'sign-in',
      {
        path: '/api/auths/signin/',
        auth: false,
        env: PATIENT_REDIS,
        connections: 10,
        probe: { method: 'POST', headers: json, body: signinBody() },
        requests: [
          { method: 'POST', path: '/api/auths/signin/', headers: json, setupRequest: (req: object) => ({ ...req, body: signinBody() }) },
        ],
      },
    ],
  ];
}

/** `n` like commands queued over the dataset's keys, then a consumer started: seconds until every key's newest one is committed. */
async function drain(databaseUrl: string, n: number): Promise<{ seconds: number; keys: number }> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const ids = async (table: string) =>
    (await db.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`)).rows.map((r) => Number(r.id));
  const [users, logbooks] = [await ids('users'), await ids('logbooks')];
  const env = validateEnv(MessagingEnv);
  const conn = await amqp.connect(env.RABBITMQ_URL);
  const queue = await conn.createChannel();
  try {
    const preloaded = await preload(n, users, logbooks);
    const consumer = await startConsumer();
    const t0 = performance.now();
    await waitForDrain(queue, queueName(env.QUEUE_PREFIX, 'likes'), db, preloaded, `drain of ${n}`);
    const seconds = (performance.now() - t0) / 1000;
    await consumer.stop();
    return { seconds: round(seconds, 3), keys: preloaded.keys };
  } finally {
    await conn.close();
    await db.end();
  }
}

/**
 * Dataset v1 × k for each k, each in a database of its own: the feed page (first and last), the
 * likes list and mypage/all/ (cached and uncached), search, sign-in and the like drain, with rps,
 * p99, Postgres time per request and the API's peak memory, against k and against the payload.
 */
export async function scale(ks: number[], plan: LoadPlan, quick: boolean): Promise<ScenarioResult> {
  const rows: Row[] = [];
  const drains: Array<{ k: number; commands: number; keys: number; seconds: number }> = [];
  const seeds: Seeded[] = [];
  const commands = quick ? 10_000 : 100_000;
  for (const k of ks) {
    console.log(`\n  × ${k}`);
    const world = await benchWorld(`scale${k}`);
    try {
      const t0 = performance.now();
      const lines: string[] = [];
      await seedV1((line) => (lines.push(line), console.log(`  ${line}`)), k);
      const seconds = round((performance.now() - t0) / 1000, 1);
      const db = world.env.DATABASE_URL;
      const counts = new pg.Client({ connectionString: db });
      await counts.connect();
      // What autovacuum would do after the seed's bulk inserts, done now: its workers are the
      // postmaster's children too, and their CPU would be counted against whichever endpoint ran then.
      await counts.query('VACUUM ANALYZE');
      const logbooks = Number((await counts.query('SELECT count(*) AS n FROM logbooks')).rows[0].n);
      const [diverMatches] = (
        await counts.query<{ divers: string; pairs: string }>(
          `WITH d AS (SELECT id FROM users WHERE username ILIKE $1 AND is_active)
           SELECT (SELECT count(*) FROM d) AS divers,
                  (SELECT count(*) FROM friends WHERE user_id IN (SELECT id FROM d) OR friend_id IN (SELECT id FROM d)) AS pairs`,
          [`%${DIVER_TERM}%`],
        )
      ).rows;
      await counts.end();
      seeds.push({
        k,
        seconds,
        line: lines.at(-1) ?? '',
        diverMatches: { divers: Number(diverMatches.divers), pairs: Number(diverMatches.pairs) },
      });
      const boot: Record<'anon' | 'auth', DbTotals> = { anon: await bootCost(db, false), auth: await bootCost(db, true) };
      for (const [name, e] of endpoints(logbooks)) {
        const measured = await measureEndpoint(db, plan, e, e.auth ? boot.auth : boot.anon, `× ${k} ${name}`);
        rows.push({ k, endpoint: name, ...measured, ...(e.entryCap ? { entryCap: e.entryCap } : {}) });
      }
      const d = await drain(db, commands);
      console.log(`  × ${k} drain: ${commands} commands in ${d.seconds} s`);
      drains.push({ k, commands, ...d });
    } finally {
      await world.drop();
    }
  }
  return scaleReport(ks, rows, drains, seeds, commands);
}

const mb = (bytes: number) => `${round(bytes / 2 ** 20, 1)} MiB`;

type Growth = { name: string; payload: number; time: number; sql?: number; bare?: number; vsBare?: number };

/** What moving a cached body costs by itself at the largest k, from the raised-cap rows' bare Fastify figures. */
function ceilingNote(growth: Growth[], at: (name: string, k: number) => Row, first: number, last: number): string[] {
  const capped = growth.filter((g) => g.bare !== undefined && g.name.includes('entry cap'));
  if (!capped.length) return [];
  const parts = capped.map(
    (g) =>
      `${g.name.replace(', cached, 64 MiB entry cap', '')} (${mb(at(g.name, last).payloadBytes)}): bare Fastify ${at(g.name, first).bareRps} → ` +
      `${at(g.name, last).bareRps} rps, ${fmt(g.bare)} the time for ${fmt(g.payload)} the bytes; ours ${fmt(g.time)}`,
  );
  return [
    `**Cached bodies of several MiB.** From × ${first} to × ${last} sending the same bytes costs bare Fastify more than the bytes grow ` +
      `(loopback TCP and the generator reading 50 answers at a time): ${parts.join('; ')}. A cached view is judged on its time against that ceiling's.`,
  ];
}

/** Why the search row of the diver term grows: its matches, which the capped answer still reads. */
function searchNote(growth: Growth[], seeds: Seeded[], first: number, last: number): string[] {
  const g = growth.find((x) => x.name.startsWith('search "'));
  const [a, b] = [seeds.find((x) => x.k === first)?.diverMatches, seeds.find((x) => x.k === last)?.diverMatches];
  if (!g || !a || !b) return [];
  return [
    `**Search's cost follows its matches.** Each category answers its newest 20 matches; divers and their buddy pairs are found by ` +
      'reading every match (the trigram index, then one friends-index probe per matching diver) before the newest 20 are kept. ' +
      `"${DIVER_TERM}" matches ${a.divers} divers in ${a.pairs} buddy pairs at × ${first} and ${b.divers} in ${b.pairs} at × ${last}, ` +
      `so its Postgres CPU grows ${fmt(g.sql)} for the same ${fmt(g.payload)} payload, while the other five terms' row grows ` +
      `${fmt(growth.find((x) => x.name === 'search, uncached')?.sql)}. ` +
      'A bounded cost would take an index ordered by relevance (pg_trgm GiST distance) instead of the newest matches: a different answer order, left as it is.',
  ];
}

/** The result from a run's figures (also to redraw bench/results/scale.json's report after a change here). */
export function scaleReport(
  ks: number[],
  rows: Row[],
  drains: Array<{ k: number; commands: number; keys: number; seconds: number }>,
  seeds: Seeded[],
  commands: number,
): ScenarioResult {
  const [first, last] = [ks[0], ks[ks.length - 1]];
  const names = [...new Set(rows.map((r) => r.endpoint))];
  const at = (name: string, k: number) => rows.find((r) => r.endpoint === name && r.k === k)!;
  // Cost per request: the time one request takes the server (1 / rps at a saturating load), and its
  // Postgres CPU (active time in results recorded before CPU was measured).
  const pgCost = (r: Row) => r.pgCpuMs ?? r.sqlMs;
  // A cached view's time is judged against bare Fastify serving the same bytes at the same k (moving a
  // few MiB per answer grows faster than the bytes here, whoever sends them); one whose body outgrew
  // its entry cap is no longer cached: the contract's limit, judged in its uncached and raised-cap rows.
  const growth = names.map((name) => {
    const [a, b] = [at(name, first), at(name, last)];
    const payload = b.payloadBytes / a.payloadBytes;
    const time = a.rps / b.rps;
    const sql = pgCost(a) >= 0.05 ? pgCost(b) / pgCost(a) : undefined;
    const bare = a.bareRps && b.bareRps ? a.bareRps / b.bareRps : undefined;
    const pastCap = b.entryCap !== undefined && b.payloadBytes > b.entryCap;
    const vsBare = bare === undefined ? undefined : time / bare;
    const judged = vsBare !== undefined ? Math.max(vsBare, sql ?? 0) : Math.max(time, sql ?? 0);
    const limit = vsBare !== undefined ? TOLERANCE : TOLERANCE * Math.max(1, payload);
    return { name, payload, time, sql, bare, vsBare, pastCap, ok: pastCap || judged <= limit };
  });
  const [d0, d1] = [drains[0], drains[drains.length - 1]];
  // The same number of commands collapse to more distinct (user, logbook) rows on a larger dataset: those are its payload.
  const drainPayload = d1.keys / d0.keys;
  const drainGrowth = d1.seconds / d0.seconds;
  const table = [
    markdownTable(
      [
        'k',
        'endpoint',
        'payload KB',
        'rps',
        'p50 ms',
        'p99 ms',
        'SQL ms/req',
        'Postgres CPU ms/req',
        'SQL stmt/req',
        'API peak MiB',
        'errors',
        'bare Fastify rps, same bytes',
      ],
      rows.map((r) => [
        r.k,
        r.endpoint,
        round(r.payloadBytes / 1024),
        r.rps,
        r.p50,
        r.p99,
        r.sqlMs,
        r.pgCpuMs ?? '–',
        r.sqlStatements,
        r.apiPeakMiB,
        r.errors,
        r.bareRps ?? '–',
      ]),
    ),
    '',
    `Growth from × ${first} to × ${last} (cost per request = 1 / rps at saturation; Postgres CPU only where it was ≥ 0.05 ms at × ${first}). ` +
      `A cached view's time is judged against bare Fastify's for the same bytes (its growth divided by the ceiling's, within ${TOLERANCE} ×); ` +
      'one whose body outgrew its entry cap is no longer a cached view, and says so:',
    '',
    markdownTable(
      [
        'endpoint',
        'payload',
        'time/request',
        'bare Fastify time/request',
        'time against bare Fastify',
        'Postgres CPU/request',
        `within ${TOLERANCE} × the payload's growth`,
      ],
      [
        ...growth.map((g) => [
          g.name,
          fmt(g.payload),
          fmt(g.time),
          fmt(g.bare),
          fmt(g.vsBare),
          fmt(g.sql),
          g.pastCap ? `past its ${mb(at(g.name, last).entryCap!)} entry cap: not cached (contract)` : g.ok ? 'yes' : '**no**',
        ]),
        [
          `drain ${commands / 1000}k like commands (payload: rows written)`,
          fmt(drainPayload),
          fmt(drainGrowth),
          '–',
          '–',
          '–',
          drainGrowth <= TOLERANCE * Math.max(1, drainPayload) ? 'yes' : '**no**',
        ],
      ],
    ),
    '',
    markdownTable(
      ['k', 'seed s', 'drain commands', 'keys', 'drain s', 'dataset'],
      ks.map((k) => {
        const s = seeds.find((x) => x.k === k)!;
        const d = drains.find((x) => x.k === k)!;
        return [k, s.seconds, d.commands, d.keys, d.seconds, s.line];
      }),
    ),
  ].join('\n');
  const chartRows = [
    ...rows.map((r) => ({ k: r.k, endpoint: r.endpoint, rps: r.rps, p99: r.p99, sqlMs: r.sqlMs, apiPeakMiB: r.apiPeakMiB })),
    ...drains.map((d) => ({ k: d.k, endpoint: 'drain (commands/s)', rps: Math.round(d.commands / d.seconds) })),
  ];
  const likes = at('likes list, uncached', last);
  const divers = at('mypage/all/, uncached', last);
  const directory = at('directory /api/users/, uncached', last);
  const notes = [
    'SQL ms/req is `pg_stat_database.active_time` per request: the wall time backends spent executing, which ' +
      'waiting for a core inflates (20 pooled connections on 2 cores). Postgres CPU ms/req is what the growth is judged on: ' +
      "the user + system time of the server's exited processes (its backends, reaped by the postmaster: /proc cutime + cstime), " +
      'read with the API stopped, less what a boot costs; it compares rows of one run, not machines. ' +
      'Requests that take a second or more run as a fixed number of requests on as many connections.',
    `**Where the contract is the limit.** The likes list returns every liked logbook: at × ${last} it is ${mb(likes.payloadBytes)} ` +
      `and costs ${pgCost(likes)} ms of Postgres CPU per uncached request. mypage/all/ returns every diver with every logbook ` +
      `(the client reads id and username only, on every page): at × ${last} ${mb(divers.payloadBytes)}, ${pgCost(divers)} ms of Postgres CPU per uncached request` +
      `${divers.errors ? ' (it outlasted DATABASE_STATEMENT_TIMEOUT_MS and failed)' : ''}, while the directory /api/users/ (id, username, profile) ` +
      `is ${mb(directory.payloadBytes)} at ${pgCost(directory)} ms. Both lists are one shared cache entry, but past CACHE_MAX_ENTRY_BYTES (2 MiB) ` +
      'they are served and never cached: raise it above the largest shared list (the "64 MiB entry cap" rows) or move the client to /api/users/.',
    ...ceilingNote(growth, at, first, last),
    ...searchNote(growth, seeds, first, last),
  ];
  const bad = [
    ...growth.filter((g) => !g.ok).map((g) => g.name),
    ...(drainGrowth > TOLERANCE * Math.max(1, drainPayload) ? ['drain'] : []),
  ];
  return {
    name: 'scale',
    title: `Cost against data size: dataset v1 × ${ks.join(', ')}, ${CONNECTIONS} connections (sign-in 10)`,
    table,
    figures: { ks, rows, drains, seeds, growth, drainGrowth },
    chart: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: 'Against the data size k (log scales)',
      data: { values: chartRows },
      repeat: ['rps', 'p99', 'sqlMs', 'apiPeakMiB'],
      columns: 2,
      spec: {
        width: 300,
        height: 200,
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'k', type: 'quantitative', scale: { type: 'log' } },
          y: { field: { repeat: 'repeat' }, type: 'quantitative', scale: { type: 'symlog' } },
          color: { field: 'endpoint', type: 'nominal' },
        },
      },
    },
    notes,
    targets: [
      {
        what: `cost against data size (× ${ks.join(', ')})`,
        target: `nothing grows faster than its payload (within ${TOLERANCE} ×)`,
        reached: bad.length ? `grows faster: ${bad.join(', ')}` : 'all within',
        met: bad.length === 0,
      },
    ],
  };
}
