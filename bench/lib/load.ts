import autocannon, { type Options, type Result } from 'autocannon';

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

/** Warm-up, then `plan.runs` runs; the median run by rps, plus every request sent (warm-up included). */
export async function load(
  options: Options,
  plan: LoadPlan,
  label: string,
): Promise<LoadFigures & { allRequests: number; runs: LoadFigures[] }> {
  const warm = await autocannon({ ...options, duration: Math.max(1, Math.round(plan.seconds / 2)) });
  const runs: LoadFigures[] = [];
  for (let i = 0; i < plan.runs; i++) {
    runs.push(figures(await autocannon({ ...options, duration: plan.seconds })));
    process.stdout.write(`  ${label}: run ${i + 1}/${plan.runs} ${runs[i].rps} rps, p99 ${runs[i].p99} ms\n`);
  }
  const median = runs.toSorted((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)];
  const allRequests = figures(warm).sent + runs.reduce((n, r) => n + r.sent, 0);
  return { ...median, allRequests, runs };
}
