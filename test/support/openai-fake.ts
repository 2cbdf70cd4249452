import type { FastifyInstance } from 'fastify';
import { validateEnv } from '@app/config';
import type { OpenAiFakeState } from '../../apps/openai-fake/src/fake.state.js';
import { OpenAiFakeEnv } from '../../apps/openai-fake/src/openai-fake.config.js';
import { createOpenAiFake } from '../../apps/openai-fake/src/openai-fake.server.js';

export interface RunningOpenAiFake {
  app: FastifyInstance;
  state: OpenAiFakeState;
  url: string;
  /** The consumer's variables that point the openai recommender at this fake. */
  clientEnv: Record<string, string>;
}

/** The real fake server (HTTP on a free port), answering after `delayMs`. */
export async function startOpenAiFake(delayMs = 0): Promise<RunningOpenAiFake> {
  const env = validateEnv(OpenAiFakeEnv, { ...process.env, OPENAI_FAKE_PORT: '0', OPENAI_FAKE_DELAY_MS: String(delayMs) });
  const { app, state } = await createOpenAiFake(env, 'silent');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return {
    app,
    state,
    url,
    clientEnv: { RECOMMENDER: 'openai', OPENAI_BASE_URL: `${url}/v1`, OPENAI_API_KEY: env.OPENAI_FAKE_API_KEY },
  };
}
