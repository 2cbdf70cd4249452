import cluster from 'node:cluster';
import 'reflect-metadata';
import { EnvError, validateEnv } from '@app/config';
import { AppEnv } from './app.config.js';
import { createApp } from './app.factory.js';
import { serveClusterMetrics } from './metrics/cluster.metrics.js';

/**
 * API_WORKERS > 1 forks that many workers sharing the port (node:cluster), the counterpart of the
 * Django deployment's gunicorn workers; a worker that dies is replaced.
 */
async function main(): Promise<void> {
  const env = validateEnv(AppEnv);
  if (cluster.isPrimary && env.API_WORKERS > 1) {
    serveClusterMetrics();
    for (let i = 0; i < env.API_WORKERS; i++) cluster.fork();
    let stopping = false;
    const stop = () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    };
    process.on('SIGTERM', stop).on('SIGINT', stop);
    const listening = new Set<number>();
    cluster.on('listening', (worker) => listening.add(worker.id));
    cluster.on('exit', (worker, code) => {
      if (stopping) return;
      // A worker that dies before it ever listened failed to boot (bad config, unreachable
      // database): forking it again would only loop, so the whole API stops with its code.
      if (!listening.has(worker.id)) {
        stop();
        process.exitCode = code || 1;
        return;
      }
      console.error(`api worker ${worker.process.pid} exited with ${code}; starting another`);
      cluster.fork();
    });
    return;
  }
  const app = await createApp();
  await app.listen({ port: env.PORT, host: '0.0.0.0' });
}

main().catch((err: unknown) => {
  // A bad variable is one line naming it; anything else keeps its stack.
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
