import autocannon, { type Options, type Result } from 'autocannon';
import { treeCpuSeconds } from './processes.js';

export interface LoadFigures {
  rps: number;
  p50: number;
  p97_5: number;
  p99: number;
  requests: number;
  /** Sent, answered or not: the server handled the ones in flight when a run stopped, too. */
  sent: number;
  ok: number;
  errors: number;
  non2xx: number;
  /** The server's CPU time per answered request (its process tree), when its pid was given: rps without the machine's noise. */
  cpuUsPerRequest?: number;
}

export interface LoadPlan {
  /** Seconds of each measured run; the warm-up lasts half of it (at least 1 s). */
  seconds: number;
  /** Measured runs; the figures are those of the median run by rps. */
  runs: number;
}

export const QUICK: LoadPlan = { seconds: 2, runs: 1 };
export const FULL: LoadPlan = { seconds: 10, runs: 3 };

function figures(r: Result): LoadFigures {
  return {
    rps: Math.round(r.requests.total / r.duration),
    p50: r.latency.p50,
    p97_5: r.latency.p97_5,
    p99: r.latency.p99,
    requests: r.requests.total,
    sent: (r.requests as { sent?: number }).sent ?? r.requests.total,
    ok: r['2xx'],
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

/**
 * Warm-up (`warmSeconds`, half a run by default), then `plan.runs` runs; the median run by rps, plus
 * every request sent (warm-up included). With `serverPid`, each run also gives the server's CPU time per request.
 */
export async function load(
  options: Options,
  plan: LoadPlan,
  label: string,
  serverPid?: number,
  warmSeconds = Math.max(1, Math.round(plan.seconds / 2)),
): Promise<LoadFigures & { allRequests: number; runs: LoadFigures[] }> {
  const warm = await autocannon({ ...options, duration: warmSeconds });
  const runs: LoadFigures[] = [];
  for (let i = 0; i < plan.runs; i++) {
    const cpu0 = serverPid ? treeCpuSeconds(serverPid) : 0;
    const run = figures(await autocannon({ ...options, duration: plan.seconds }));
    if (serverPid && run.requests > 0) run.cpuUsPerRequest = Math.round(((treeCpuSeconds(serverPid) - cpu0) * 1e6) / run.requests);
    runs.push(run);
    const cpu = run.cpuUsPerRequest === undefined ? '' : `, ${run.cpuUsPerRequest} µs CPU/request`;
    process.stdout.write(`  ${label}: run ${i + 1}/${plan.runs} ${run.rps} rps, p99 ${run.p99} ms${cpu}\n`);
  }
  const median = runs.toSorted((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)];
  const allRequests = figures(warm).sent + runs.reduce((n, r) => n + r.sent, 0);
  return { ...median, allRequests, runs };
}
