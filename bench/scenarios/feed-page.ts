import { load } from '../lib/load.js';
import { type BenchContext, type ScenarioResult, markdownTable } from '../lib/scenario.js';
import { startApi } from '../lib/stack.js';

/** The feed page as measured on the Django stack: GET /api/logbooks/?page_size=100 (anonymous) at 1,000 connections. */
export async function feedPage(ctx: BenchContext): Promise<ScenarioResult> {
  const api = await startApi();
  const url = `${api.url}/api/logbooks/?page_size=100`;
  await fetch(url);
  // 1,000 connections queue for a while before the first answers: give each run time to settle.
  const plan = { ...ctx.plan, seconds: Math.max(ctx.plan.seconds, 6) };
  const result = await load({ url, connections: 1_000, timeout: 30 }, plan, 'feed page');
  await api.stop();
  const errors = result.errors + result.non2xx;
  return {
    name: 'feed-page',
    title: 'Feed page: GET /api/logbooks/?page_size=100, 1,000 connections',
    table: markdownTable(
      ['', 'rps', 'p50 ms', 'p99 ms', 'errors', 'the seed'],
      [['ours', result.rps, result.p50, result.p99, errors, 'Django + gevent 351 rps with data']],
    ),
    figures: result,
    targets: [
      {
        what: 'feed page at 1,000 connections',
        target: '≥ 1,000 rps, 0 errors',
        reached: `${result.rps} rps, ${errors} errors`,
        met: result.rps >= 1_000 && errors === 0,
      },
    ],
  };
}
