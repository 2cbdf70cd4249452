import { load } from '../lib/load.js';
import { type BenchContext, type ScenarioResult, barChart, markdownTable } from '../lib/scenario.js';
import { signin, startApi } from '../lib/stack.js';

/**
 * Scenario 2: the Django stack's worker table, repeated: API_WORKERS 1, 2, 4 on the cached and the uncached likes list.
 * The API may use both cores here (that is what workers are for), so it shares one with the load.
 */
export async function apiWorkers(ctx: BenchContext): Promise<ScenarioResult> {
  const levels = ctx.quick ? [1, 2] : [1, 2, 4];
  const figures = [];
  for (const workers of levels) {
    for (const cached of [true, false]) {
      const api = await startApi({ API_WORKERS: String(workers), CACHE_RESPONSES: String(cached) }, null);
      const token = await signin(api.url, 1);
      const result = await load(
        { url: `${api.url}/api/logbooks/likes/`, connections: 50, headers: { Authorization: `Bearer ${token}` } },
        ctx.plan,
        `${workers} worker(s), ${cached ? 'cached' : 'uncached'}`,
      );
      await api.stop();
      figures.push({ workers, cache: cached ? 'cached' : 'uncached', ...result });
    }
  }
  return {
    name: 'api-workers',
    title: 'API processes (API_WORKERS) on the likes list, 50 connections',
    table: markdownTable(
      ['API_WORKERS', 'cache', 'rps', 'p50 ms', 'p99 ms', 'errors'],
      figures.map((f) => [f.workers, f.cache, f.rps, f.p50, f.p99, f.errors + f.non2xx]),
    ),
    figures,
    chart: barChart(
      'Likes list rps by API_WORKERS',
      figures.map((f) => ({ workers: String(f.workers), cache: f.cache, rps: f.rps })),
      'workers',
      'rps',
      'cache',
    ),
    targets: [],
    notes: [
      'The seed measured more Django workers adding DB I/O rather than throughput; on this 2-core machine the API, Postgres, Redis, RabbitMQ and the load generator share two cores, so more than 2 workers can only add contention.',
    ],
  };
}
