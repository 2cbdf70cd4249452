import 'reflect-metadata';
import { EnvError, validateEnv } from '@app/config';
import { OpenAiFakeEnv } from './openai-fake.config.js';
import { createOpenAiFake } from './openai-fake.server.js';

/** Stand-in for an OpenAI-compatible endpoint, so that RECOMMENDER=openai runs (and is tested) without a key. */
async function main(): Promise<void> {
  const env = validateEnv(OpenAiFakeEnv);
  const { app } = await createOpenAiFake(env, process.env.LOG_LEVEL ?? 'info');
  const close = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', close).on('SIGINT', close);
  await app.listen({ port: env.OPENAI_FAKE_PORT, host: env.OPENAI_FAKE_HOST });
}

main().catch((err: unknown) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
