import type { FastifyInstance } from 'fastify';
import { validateEnv } from '@app/config';
import { FishialFakeEnv } from '../../apps/fishial-fake/src/fishial-fake.config.js';
import { createFishialFake } from '../../apps/fishial-fake/src/fishial-fake.server.js';
import type { FishialFakeState } from '../../apps/fishial-fake/src/fake.state.js';

export interface RunningFake {
  app: FastifyInstance;
  state: FishialFakeState;
  url: string;
  /** FISHIAL_* variables that point a client at this fake. */
  clientEnv: Record<string, string>;
}

/** The real fake server (HTTP on a free port), with the given per-step latencies. */
export async function startFishialFake(delays = 'token:0,upload:0,put:0,recognize:0'): Promise<RunningFake> {
  const env = validateEnv(FishialFakeEnv, { ...process.env, FISHIAL_FAKE_PORT: '0', FISHIAL_FAKE_DELAYS_MS: delays });
  const { app, state } = await createFishialFake(env, 'silent');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return {
    app,
    state,
    url,
    clientEnv: {
      FISHIAL_AUTH_URL: `${url}/v1/auth/token`,
      FISHIAL_API_URL: `${url}/v1`,
      FISHIAL_CLIENT_ID: env.FISHIAL_FAKE_CLIENT_ID,
      FISHIAL_CLIENT_SECRET: env.FISHIAL_FAKE_CLIENT_SECRET,
    },
  };
}
