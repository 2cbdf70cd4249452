import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from '../lib/load.js';
import { freePort, startProcess } from '../lib/processes.js';
import { type BenchContext, type ScenarioResult, barChart, markdownTable, round } from '../lib/scenario.js';
import { SERVER_CPUS, committedTransactions, signin, startApi } from '../lib/stack.js';

const PATH = '/api/mypage/all/';

/**
 * GET /api/mypage/all/ (every diver with their logbooks, bucket lists and buddies; the client loads it
 * on every page) at 50 connections with a token: cached, uncached (CACHE_RESPONSES=false) and from bare
 * Fastify serving the same bytes, each on the same pinned core. SQL per request comes from Postgres
 * (committed transactions of the benchmark's database, read with the API stopped).
 */
export async function mypageAll(ctx: BenchContext): Promise<ScenarioResult> {
  let api = await startApi();
  const token = await signin(api.url, 0);
  const headers = { Authorization: `Bearer ${token}` };
  const body = Buffer.from(await (await fetch(`${api.url}${PATH}`, { headers })).arrayBuffer());
  const divers = (JSON.parse(body.toString()) as unknown[]).length;
  await api.stop();

  // Booting and stopping the API costs transactions of its own (readiness probes, pool setup): taken out.
  const measure = async (env: Record<string, string>, label: string) => {
    const before = await committedTransactions(ctx.databaseUrl);
    await (await startApi(env)).stop();
    const boot = (await committedTransactions(ctx.databaseUrl)) - before;
    api = await startApi(env);
    const figures = await load({ url: `${api.url}${PATH}`, connections: 50, headers }, ctx.plan, label);
    await api.stop();
    const sqlPerRequest = ((await committedTransactions(ctx.databaseUrl)) - before - 2 * boot) / figures.allRequests;
    return { ...figures, sqlPerRequest: round(sqlPerRequest, 3) };
  };
  const cached = await measure({}, 'cached');
  const uncached = await measure({ CACHE_RESPONSES: 'false' }, 'uncached');

  const file = join(tmpdir(), `mypage-body-${process.pid}.json`);
  await writeFile(file, body);
  const port = await freePort();
  const bareProcess = await startProcess(
    ['--import', 'tsx', 'bench/lib/bare-server.ts', file, String(port), PATH],
    {},
    `http://127.0.0.1:${port}/health`,
    SERVER_CPUS,
  );
  const bare = await load({ url: `http://127.0.0.1:${port}${PATH}`, connections: 50, headers }, ctx.plan, 'bare fastify');
  await bareProcess.stop();

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
