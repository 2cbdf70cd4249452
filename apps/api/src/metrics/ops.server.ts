import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { register } from 'prom-client';
import { ReadinessCheck } from '../health/readiness.check.js';
import { joinClusterMetrics, metricsText } from './cluster.metrics.js';
import type { MetricsEnv } from './metrics.config.js';

/**
 * The operations listener: Prometheus metrics (runtime version, limits, sign-in failure counts) and
 * the readiness report naming each dependency, on their own address (loopback by default) rather
 * than on the public API port. A listener, not a token: nothing to leak or rotate, no JWT or route
 * parsing exposed, and scrapes keep answering while the API port is saturated. Its lifetime is the
 * app's: it closes with it. With API_WORKERS > 1 every worker listens on it through node:cluster,
 * which hands each scrape to one of them, like the API port; that worker answers with the metrics of
 * them all (cluster.metrics.ts), and a 503 while they cannot be gathered (a worker still booting).
 */
export async function startOpsServer(app: NestFastifyApplication, env: MetricsEnv): Promise<FastifyInstance | undefined> {
  if (env.METRICS_PORT === 0) return undefined;
  const readiness = app.get(ReadinessCheck);
  joinClusterMetrics();
  const ops = Fastify({ logger: false, requestTimeout: 15_000, keepAliveTimeout: 5_000 });
  ops.get('/metrics', async (_req, reply) => {
    const text = await metricsText().catch((err: Error) => err);
    if (text instanceof Error) return reply.code(503).type('text/plain').send(text.message);
    return reply.type(register.contentType).send(text);
  });
  ops.get('/health/ready', async (_req, reply) => {
    const report = await readiness.report();
    return reply.code(report.status === 'ok' ? 200 : 503).send(report);
  });
  await ops.listen({ port: env.METRICS_PORT, host: env.METRICS_HOST });
  return ops;
}
