import { Counter, Gauge } from 'prom-client';

/**
 * The API's own metrics beyond HTTP (http-metrics.ts), in prom-client's default registry, which the
 * operations listener serves. Process-wide, as that registry is; with API_WORKERS > 1 the listener
 * sums them over every worker (cluster.metrics.ts). Labels are fixed sets from the code.
 */
export const apiMetrics = {
  workers: new Gauge({
    name: 'api_workers_reporting',
    help: 'API processes whose metrics this scrape holds: 1 per worker, summed over API_WORKERS',
    collect() {
      this.set(1);
    },
  }),
  viewCache: new Counter({
    name: 'view_cache_requests_total',
    help: 'Cacheable GETs by view family (families joined by "+"), view and result: hit, miss, or bypass (Redis could not say)',
    labelNames: ['family', 'view', 'result'],
  }),
  unavailable: new Counter({
    name: 'http_unavailable_responses_total',
    help: '503 answers by cause: broker_<refusal> (command not confirmed) or database',
    labelNames: ['cause'],
  }),
  openStreams: new Gauge({
    name: 'notification_streams_open',
    help: 'Open notification event streams (SSE)',
  }),
};

/** One cacheable GET answered: `families` as the view's cache key lists them. */
export function countViewCache(families: readonly string[], view: string, result: 'hit' | 'miss' | 'bypass'): void {
  apiMetrics.viewCache.inc({ family: families.join('+'), view, result });
}
