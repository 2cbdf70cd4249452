import { execSync } from 'node:child_process';
import pg from 'pg';
import { PASSWORD, userEmail } from './dataset-v1.js';
import { ALL_CPUS, ENTRIES, freePort, type Running, startProcess } from './processes.js';

/** CPU sets on this 2-core machine: our servers on one core, the load generator on the other. */
export const SERVER_CPUS = '0';
export const LOAD_CPUS = '1';

/**
 * How a measured server runs. `pinned`: on SERVER_CPUS with the load generator on LOAD_CPUS and
 * LOG_LEVEL=warn (the bench world's), so that the figure is the server's own. `defaults`: as a user
 * runs it: started as `npm start` starts it (under concurrently, its output piped and forwarded), at
 * the default log level, server and generator on every core.
 */
export type Placement = 'pinned' | 'defaults';
export const PLACEMENTS: readonly Placement[] = ['pinned', 'defaults'];

/**
 * Runs `fn` (which drives the load generator, in this process) with the generator placed as
 * `placement` says: the runner pins itself (every thread) to LOAD_CPUS, `defaults` frees it meanwhile.
 */
export async function withGenerator<T>(placement: Placement, fn: () => Promise<T>): Promise<T> {
  if (placement === 'pinned') return fn();
  execSync(`taskset -a -cp ${ALL_CPUS} ${process.pid}`, { stdio: 'ignore' });
  try {
    return await fn();
  } finally {
    execSync(`taskset -a -cp ${LOAD_CPUS} ${process.pid}`, { stdio: 'ignore' });
  }
}

export interface App extends Running {
  url: string;
}

/** `cpus` null: unpinned (both cores). `defaults`: as `npm start` runs it (see Placement), `cpus` ignored. */
export async function startApi(
  env: Record<string, string> = {},
  cpus: string | null = SERVER_CPUS,
  placement: Placement = 'pinned',
): Promise<App> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Sign-in limiting is per IP, and every benchmark request comes from 127.0.0.1; an attempt counts
  // as a failure of its IP until it succeeds, so 10 connections plus the ones a stopped run left
  // behind reached the 20-failure ceiling and locked the generator out (security tests cover it).
  const ip = { SIGNIN_MAX_PER_IP: '100000000', SIGNIN_MAX_FAILURES_IP: '100000000' };
  // Likewise the per-user write limits and the daily recognition quota: a scenario is one user
  // uploading and classifying hundreds of photos, or writing far faster than a person does.
  const perUser = Object.fromEntries(
    [
      'WRITE_LIMIT_COMMENTS_PER_MINUTE',
      'WRITE_LIMIT_LOGBOOKS_PER_MINUTE',
      'WRITE_LIMIT_PHOTOS_PER_MINUTE',
      'WRITE_LIMIT_COMMUNITY_PER_MINUTE',
      'RECOGNITION_DAILY_QUOTA',
    ].map((name) => [name, '100000000']),
  );
  // At the defaults the bench's LOG_LEVEL=warn is dropped (info, the default, applies); the lifted limits
  // stay (the views measured never reach them), and so does METRICS_PORT=0: the operations listener is
  // off the request path and its fixed default port could collide with another stack on the machine.
  const shipped = placement === 'defaults' ? { LOG_LEVEL: undefined } : {};
  const running = await startProcess(
    ENTRIES.api,
    { ...ip, ...perUser, METRICS_PORT: '0', ...shipped, ...env, PORT: String(port) },
    `${url}/health/ready`,
    placement === 'defaults' ? ALL_CPUS : (cpus ?? undefined),
    placement === 'defaults',
  );
  return { ...running, url };
}

export async function startConsumer(env: Record<string, string> = {}, cpus: string | null = SERVER_CPUS): Promise<App> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const running = await startProcess(
    ENTRIES.consumer,
    { ...env, CONSUMER_HEALTH_PORT: String(port) },
    `${url}/health/ready`,
    cpus ?? undefined,
  );
  return { ...running, url };
}

export async function startFake(delays: string): Promise<App> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const running = await startProcess(
    ENTRIES.fake,
    { FISHIAL_FAKE_PORT: String(port), FISHIAL_FAKE_DELAYS_MS: delays },
    `${url}/health`,
    LOAD_CPUS,
  );
  return { ...running, url };
}

export const fishialEnv = (fake: App) => ({ FISHIAL_AUTH_URL: `${fake.url}/v1/auth/token`, FISHIAL_API_URL: `${fake.url}/v1` });

export async function signin(api: string, user: number): Promise<string> {
  const res = await fetch(`${api}/api/auths/signin/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: userEmail(user), password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`signin user${user}: ${res.status} ${await res.text()}`);
  return (await res.json()).access;
}

/**
 * Committed transactions of a database, from Postgres's own statistics. A backend reports them when
 * it ends, so callers read this with the apps stopped.
 */
export async function committedTransactions(databaseUrl: string): Promise<number> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await admin.query('SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = $1', [name]);
    return Number(rows[0].n);
  } finally {
    await admin.end();
  }
}
