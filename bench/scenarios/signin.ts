import { PASSWORD, USERS, userEmail } from '../lib/dataset-v1.js';
import { load } from '../lib/load.js';
import { type BenchContext, type ScenarioResult, markdownTable, round } from '../lib/scenario.js';
import { startApi } from '../lib/stack.js';

const SEED_RPS = 9.2;

/** Scenario 6: sign-in at 10 connections over the dataset's 100 users: the cost of argon2id. */
export async function signinThroughput(ctx: BenchContext): Promise<ScenarioResult> {
  // Unpinned: argon2 runs on libuv's thread pool, which may use both cores (as the seed's workers did).
  const api = await startApi({}, null);
  const requests = Array.from({ length: USERS }, (_, i) => ({
    method: 'POST' as const,
    path: '/api/auths/signin/',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: userEmail(i), password: PASSWORD }),
  }));
  const result = await load({ url: api.url, connections: 10, requests }, ctx.plan, 'sign-in');
  await api.stop();
  return {
    name: 'signin',
    title: 'Sign-in, 10 connections (argon2id, 19 MiB, t=2, p=1: OWASP minimum)',
    table: markdownTable(
      ['', 'rps', 'p50 ms', 'p99 ms', 'errors', 'the seed'],
      [['ours', result.rps, result.p50, result.p99, result.errors + result.non2xx, `Django seed stack here: ${SEED_RPS} rps (PBKDF2)`]],
    ),
    figures: result,
    targets: [{ what: 'sign-in, 10 connections', target: `≥ 5 × ${SEED_RPS} = ${round(5 * SEED_RPS)} rps`, reached: `${result.rps} rps`, met: result.rps >= 5 * SEED_RPS && result.non2xx === 0 }],
  };
}
