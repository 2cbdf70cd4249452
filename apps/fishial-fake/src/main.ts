import 'reflect-metadata';
import Fastify from 'fastify';
import { EnvError, validateEnv } from '@app/config';
import { FishialFakeEnv } from './fishial-fake.config.js';

/**
 * Stand-in for the paid Fishial API so that the stack runs without credentials. This first version
 * only answers health checks; the protocol (token, upload, direct upload, recognition) comes with the
 * fish-recognition work.
 */
async function main(): Promise<void> {
  const env = validateEnv(FishialFakeEnv);
  const app = Fastify({ logger: { level: 'info' } });
  app.get('/health', async () => ({ status: 'ok' }));
  const close = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', close).on('SIGINT', close);
  await app.listen({ port: env.FISHIAL_FAKE_PORT, host: env.FISHIAL_FAKE_HOST });
}

main().catch((err: unknown) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
