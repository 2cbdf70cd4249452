import autocannon, { type Options, type Result } from 'autocannon';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { LoadPlan } from './load.js';
import { startBare } from './measure.js';
import { round } from './scenario.js';
import { type App, SERVER_CPUS, signin, startApi } from './stack.js';

/**
 * Postgres's own account of a database: committed transactions and milliseconds spent executing
 * statements; and the CPU milliseconds of the server's exited processes (its backends among them).
 */
export interface DbTotals {
  xacts: number;
  activeMs: number;
  cpuMs: number;
}

/** Linux's clock ticks per second for /proc's CPU times (USER_HZ, 100 on every mainstream build). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (ms) of the postmaster's reaped children, from /proc/<pid>/stat (cutime + cstime). A
 * backend's CPU is added there when it exits, so with the API stopped the difference between two
 * reads is what its connections cost Postgres in CPU: unlike active_time, not inflated by waiting
 * for a core while 20 backends share two. (The same machine only: the bench runs Postgres locally.)
 */
async function reapedCpuMs(postmasterPid: number): Promise<number> {
  const stat = await readFile(`/proc/${postmasterPid}/stat`, 'utf8');
  // Fields after the command name, which may hold spaces: state is field 3, cutime 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[16 - 3]) + Number(fields[17 - 3])) * 1000) / TICKS_PER_SECOND;
}

/**
 * pg_stat_database of one database. A backend reports its counters when it ends (or idles for a
 * while), so callers read this with the apps stopped; per database, so other work on the shared
 * server does not count.
 */
export async function dbTotals(databaseUrl: string): Promise<DbTotals> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await admin.query(
      'SELECT xact_commit::bigint AS xacts, active_time::float8 AS active FROM pg_stat_database WHERE datname = $1',
      [name],
    );
    // This backend's parent is the postmaster.
    const [{ pid }] = (await admin.query('SELECT pg_backend_pid() AS pid')).rows;
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const postmaster = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
    return { xacts: Number(rows[0].xacts), activeMs: Number(rows[0].active), cpuMs: await reapedCpuMs(postmaster) };
  } finally {
    await admin.end();
  }
}

/** The peak and current resident set of a process, in MiB (Linux /proc). */
export async function memoryOf(pid: number): Promise<{ peakMiB: number; rssMiB: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { peakMiB: round(kib('VmHWM') / 1024), rssMiB: round(kib('VmRSS') / 1024) };
}

export interface ScaleFigures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  /** Postgres execution time per request (ms), from pg_stat_database.active_time. */
  sqlMs: number;
  /** Postgres CPU per request (ms): its backends' user + system time, from /proc (absent in older results). */
  pgCpuMs?: number;
  /** Transactions per request (each of our statements runs in its own). */
  sqlStatements: number;
  /** Peak resident set of the API process over the run (MiB). */
  apiPeakMiB: number;
  payloadBytes: number;
  /** For a cached view: bare Fastify's rps serving the same bytes under the same load, what moving them costs here. */
  bareRps?: number;
}

export interface Endpoint {
  /** A path on the API, or a `requests` list for autocannon (its own rotation). */
  path: string;
  requests?: Options['requests'];
  /** The first request, when it is not a plain GET of `path`. */
  probe?: { method: string; headers: Record<string, string>; body: string };
  auth: boolean;
  env: Record<string, string>;
  connections: number;
  /** A cached view, storing bodies up to this many bytes: also measured against bare Fastify serving its bytes (ScaleFigures.bareRps). */
  entryCap?: number;
}

/** Requests for a run of about `seconds` at `rps`: at least 2, at most a million. */
const sized = (seconds: number, rps: number) => Math.max(2, Math.min(1_000_000, Math.round(seconds * rps)));

const figures = (r: Result) => ({
  rps: round(r.requests.total / r.duration, 2),
  p50: r.latency.p50,
  p99: r.latency.p99,
  errors: r.errors + r.timeouts + r.non2xx,
  requests: r.requests.total,
});

type Figures = ReturnType<typeof figures>;

/**
 * What a request costs once served (the least of two after the first, which can be a miss on a cached
 * view whose store does not hold up its answer), a warm-up and one measured run: timed for quick
 * requests, a fixed number for slow ones. `sent`: every request made.
 */
async function loadRuns(
  base: Options,
  e: Endpoint,
  plan: LoadPlan,
  headers: Record<string, string>,
): Promise<{ warm: Figures; run: Figures; sent: number }> {
  let sent = 0;
  const count = (r: Result) => (sent += (r.requests as { sent?: number }).sent ?? r.requests.total);
  let one = Infinity;
  for (let i = 0; i < 2; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const t1 = performance.now();
    await (await fetch(base.url, e.probe ?? { headers })).arrayBuffer();
    sent++;
    one = Math.min(one, (performance.now() - t1) / 1000);
  }
  if (one < 0.25) {
    // Quick requests: timed runs, as the other scenarios (the requests a run ends with in flight are few).
    const timed = async (duration: number) => {
      const r = await autocannon({ ...base, duration, connections: e.connections });
      count(r);
      return figures(r);
    };
    return { warm: await timed(Math.max(1, Math.round(plan.seconds / 2))), run: await timed(plan.seconds), sent };
  }
  // Requests of a second or more (an unbounded view at × 100): a fixed number, timed around the
  // whole run, since a timed run would end with every connection still waiting and count nothing.
  const fixed = async (amount: number) => {
    const t = performance.now();
    const r = await autocannon({ ...base, amount, connections: Math.min(e.connections, amount) });
    count(r);
    return { ...figures(r), rps: round(r.requests.total / ((performance.now() - t) / 1000), 2) };
  };
  const warm = await fixed(2);
  return { warm, run: await fixed(sized(plan.seconds, 1 / one)), sent };
}

/**
 * Bare Fastify answering the same bytes under the same load, pinned as the API is: at a few MiB per
 * answer moving them (loopback TCP, the generator reading them) is most of the cost, and grows
 * faster than the bytes on this machine, so a cached view is judged against this, not against itself at × 1.
 */
async function measureCeiling(body: Buffer, e: Endpoint, plan: LoadPlan): Promise<number> {
  const server = await startBare(body, new URL(e.path, 'http://x').pathname, SERVER_CPUS);
  try {
    return (await loadRuns({ url: server.url, timeout: 300 }, { ...e, requests: undefined, probe: undefined }, plan, {})).run.rps;
  } finally {
    await server.stop();
  }
}

/**
 * One endpoint against a fresh API: a first request (the payload), then loadRuns; for a cached view
 * also bare Fastify with the same bytes. SQL time and statements come from Postgres with the API
 * stopped, less what a boot costs (`boot`).
 */
export async function measureEndpoint(
  databaseUrl: string,
  plan: LoadPlan,
  e: Endpoint,
  boot: DbTotals,
  label: string,
): Promise<ScaleFigures> {
  const before = await dbTotals(databaseUrl);
  const api: App = await startApi(e.env);
  let sent = 1;
  try {
    const headers: Record<string, string> = e.auth ? { Authorization: `Bearer ${await signin(api.url, 0)}` } : {};
    const t0 = performance.now();
    const first = await fetch(`${api.url}${e.path}`, e.probe ?? { headers });
    const body = Buffer.from(await first.arrayBuffer());
    const missed = (performance.now() - t0) / 1000;
    if (!first.ok) {
      // Nothing to load: what failed is the figure (at × 100 an unbounded view can outlast the statement timeout).
      console.log(`  ${label}: ${first.status} after ${round(missed, 1)} s: ${body.subarray(0, 120).toString()}`);
      const { peakMiB } = await memoryOf(api.child.pid!);
      await api.stop();
      const after = await dbTotals(databaseUrl);
      const sqlMs = round(Math.max(0, after.activeMs - before.activeMs - boot.activeMs), 3);
      const pgCpuMs = round(Math.max(0, after.cpuMs - before.cpuMs - boot.cpuMs), 3);
      return {
        rps: 0,
        p50: Math.round(missed * 1000),
        p99: Math.round(missed * 1000),
        errors: 1,
        requests: 1,
        sqlMs,
        pgCpuMs,
        sqlStatements: 1,
        apiPeakMiB: peakMiB,
        payloadBytes: 0,
      };
    }
    const base = { url: `${api.url}${e.path}`, headers, requests: e.requests, timeout: 300 };
    const { warm, run, sent: loaded } = await loadRuns(base, e, plan, headers);
    sent += loaded;
    const { peakMiB } = await memoryOf(api.child.pid!);
    await api.stop();
    const after = await dbTotals(databaseUrl);
    const result: ScaleFigures = {
      rps: run.rps,
      p50: run.p50,
      p99: run.p99,
      errors: run.errors + warm.errors,
      requests: run.requests,
      sqlMs: round(Math.max(0, after.activeMs - before.activeMs - boot.activeMs) / sent, 3),
      pgCpuMs: round(Math.max(0, after.cpuMs - before.cpuMs - boot.cpuMs) / sent, 3),
      sqlStatements: round(Math.max(0, after.xacts - before.xacts - boot.xacts) / sent, 2),
      apiPeakMiB: peakMiB,
      payloadBytes: body.length,
      ...(e.entryCap !== undefined ? { bareRps: await measureCeiling(body, e, plan) } : {}),
    };
    console.log(
      `  ${label}: ${result.rps} rps, p99 ${result.p99} ms, SQL ${result.sqlMs} ms/req (CPU ${result.pgCpuMs}), ${result.sqlStatements} stmt/req, ` +
        `peak RSS ${peakMiB} MiB, ${round(body.length / 1024)} KB, ${result.errors} errors` +
        (result.bareRps === undefined ? '' : `; bare Fastify ${result.bareRps} rps`),
    );
    return result;
  } finally {
    await api.stop();
  }
}

/** What booting, signing in once and stopping an API costs in Postgres: taken out of every endpoint's figures. */
export async function bootCost(databaseUrl: string, auth: boolean): Promise<DbTotals> {
  const before = await dbTotals(databaseUrl);
  const api = await startApi();
  if (auth) await signin(api.url, 0);
  await api.stop();
  const after = await dbTotals(databaseUrl);
  return { xacts: after.xacts - before.xacts, activeMs: after.activeMs - before.activeMs, cpuMs: after.cpuMs - before.cpuMs };
}
