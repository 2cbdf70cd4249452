import type { Options } from 'autocannon';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from './load.js';
import { ALL_CPUS, type Running, freePort, startProcess } from './processes.js';
import { type BenchContext, round } from './scenario.js';
import { type Placement, SERVER_CPUS, committedTransactions, startApi, withGenerator } from './stack.js';

/**
 * One load run against a fresh API started with `env` (`options.url` is a path on it), and the SQL
 * statements each request cost, from Postgres's statistics: committed transactions, read with the API
 * stopped so that every backend has reported; what booting and stopping the API costs (readiness
 * probes, pool setup) is measured once and taken out.
 */
export async function measureApi(
  ctx: BenchContext,
  env: Record<string, string>,
  options: Options,
  label: string,
  placement: Placement = 'pinned',
) {
  const before = await committedTransactions(ctx.databaseUrl);
  await (await startApi(env, SERVER_CPUS, placement)).stop();
  const boot = (await committedTransactions(ctx.databaseUrl)) - before;
  const api = await startApi(env, SERVER_CPUS, placement);
  const figures = await withGenerator(placement, () =>
    load({ ...options, url: `${api.url}${options.url}` }, ctx.plan, label, api.child.pid),
  );
  await api.stop();
  const sqlPerRequest = ((await committedTransactions(ctx.databaseUrl)) - before - 2 * boot) / figures.allRequests;
  return { ...figures, sqlPerRequest: round(sqlPerRequest, 3) };
}

/**
 * Bare Fastify (bench/lib/bare-server.ts) answering GET `path` with `body`, on `cpus`: the ceiling of
 * a cached view. `stop()` also removes the body's file.
 */
export async function startBare(body: Buffer, path: string, cpus: string): Promise<Running & { url: string }> {
  const file = join(tmpdir(), `bench-body-${process.pid}-${Date.now()}.json`);
  await writeFile(file, body);
  const port = await freePort();
  const server = await startProcess(
    ['--import', 'tsx', 'bench/lib/bare-server.ts', file, String(port), path],
    {},
    `http://127.0.0.1:${port}/health`,
    cpus,
  );
  return {
    ...server,
    url: `http://127.0.0.1:${port}${path}`,
    stop: async () => {
      await server.stop();
      await rm(file, { force: true });
    },
  };
}

/** The ceiling for a view: bare Fastify serving the same bytes at the same path, placed as the API was. */
export async function measureBare(
  ctx: BenchContext,
  body: Buffer,
  path: string,
  options: Omit<Options, 'url'>,
  placement: Placement = 'pinned',
) {
  const server = await startBare(body, path, placement === 'pinned' ? SERVER_CPUS : ALL_CPUS);
  try {
    return await withGenerator(placement, () =>
      load({ ...options, url: server.url }, ctx.plan, `bare fastify, ${placement}`, server.child.pid),
    );
  } finally {
    await server.stop();
  }
}
