import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../../apps/api/src/app.factory.js';
import { createConsumer } from '../../apps/consumer/src/consumer.factory.js';
import { Contract } from './contract.js';

export interface TestApi {
  app: NestFastifyApplication;
  /** Base URL of the listening app, for clients other than supertest (load drivers). */
  url: string;
  /** A supertest client whose every response is checked against the app's OpenAPI document. */
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/**
 * Boots the real API (same factory as main.ts) against this run's database, Redis namespace and
 * queues. `env` overrides variables for this app only: config is read while the app is built.
 */
export async function startApi(env: Record<string, string> = {}): Promise<TestApi> {
  return withEnv(env, async () => {
    const app = await createApp();
    // One real port for the app's life (supertest would otherwise listen anew per request): absolute
    // URLs and cache keys derive from the Host header, which must not change between requests.
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const contract = await Contract.of(app);
    return { app, url, http: () => checked(request(url), contract), close: () => app.close() };
  });
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/**
 * Every request made through the agent gets, as its first assertion, the contract check: the test
 * that received an undocumented status or a body of another shape fails with the reason.
 */
function checked(agent: ReturnType<typeof request>, contract: Contract): ReturnType<typeof request> {
  return new Proxy(agent, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || !HTTP_METHODS.has(prop) || typeof value !== 'function') return value;
      return (url: string, ...rest: unknown[]) => {
        const test = (value as (url: string, ...rest: unknown[]) => request.Test).call(target, url, ...rest);
        return test.expect((res) => contract.check(prop, url, res));
      };
    },
  });
}

/** The in-process consumer, built with `env` overriding this run's variables. */
export function startConsumer(env: Record<string, string> = {}): Promise<NestFastifyApplication> {
  return withEnv(env, () => createConsumer());
}

/** Runs `build` with extra variables set; apps read their config while they are built. */
export async function withEnv<T>(env: Record<string, string>, build: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await build();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export const uniqueEmail = (tag = 'u') => `${tag}_${randomBytes(5).toString('hex')}@example.com`;

export interface Diver {
  id: number;
  email: string;
  password: string;
  access: string;
  refresh: string;
}

/** The Authorization header of a signed-in diver. */
export const bearer = (d: { access: string }) => ({ Authorization: `Bearer ${d.access}` });

export async function signupAndSignin(api: TestApi, tag = 'u'): Promise<Diver> {
  const email = uniqueEmail(tag);
  const password = 'password123';
  await api.http().post('/api/auths/signup/').send({ email, username: tag, password, country: 'KR' }).expect(201);
  const res = await api.http().post('/api/auths/signin/').send({ email, password }).expect(200);
  return { id: res.body.id, email, password, access: res.body.access, refresh: res.body.refresh };
}

/** A port nothing listens on right now, for the apps' second listeners (METRICS_PORT). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}
