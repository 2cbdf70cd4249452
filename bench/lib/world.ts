import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorld, dropWorld } from '../../test/support/world.js';

/**
 * A benchmark's own database, Redis namespace, queue prefix and upload directory on the shared
 * services, set in process.env (child processes inherit it), and removed by `drop()`.
 */
export async function benchWorld(tag: string): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const name = `scoopadive_bench_${tag}_${randomBytes(3).toString('hex')}`;
  const db = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/scoopadive');
  db.pathname = `/${name}`;
  const env = {
    NODE_ENV: 'development',
    DATABASE_URL: db.toString(),
    CACHE_NAMESPACE: name,
    QUEUE_PREFIX: name,
    STORAGE_DIR: join(tmpdir(), name),
    LOG_LEVEL: 'warn',
    CONSUMER_HEALTH_PORT: '0',
  };
  Object.assign(process.env, env);
  await createWorld();
  return { env, drop: dropWorld };
}
