import 'reflect-metadata';
import { EnvError, validateEnv } from '@app/config';
import { FishialFakeEnv } from './fishial-fake.config.js';
import { createFishialFake } from './fishial-fake.server.js';

/** Stand-in for the paid Fishial API, so that the stack runs (and is tested) without credentials. */
async function main(): Promise<void> {
  const env = validateEnv(FishialFakeEnv);
  const { app } = await createFishialFake(env, process.env.LOG_LEVEL ?? 'info');
  const close = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', close).on('SIGINT', close);
  await app.listen({ port: env.FISHIAL_FAKE_PORT, host: env.FISHIAL_FAKE_HOST });
}

main().catch((err: unknown) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
