import { type AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { validateEnv } from '@app/config';
import { FishialClient, FishialEnv, FishialError } from '@app/fishial';
import { expectedBestSpecies } from '../apps/fishial-fake/src/species.js';
import { PNG } from './support/fixtures.js';
import { type RunningFake, startFishialFake } from './support/fishial-fake.js';

const image = (bytes = PNG) => ({ bytes, filename: 'fish.png', contentType: 'image/png' as const });
const variant = (i: number) => Buffer.concat([PNG, Buffer.from(`#${i}`)]);

describe('Fishial client against the fake Fishial server (e2e)', () => {
  let fake: RunningFake;
  let client: FishialClient;
  const make = (env: Record<string, string> = {}) => new FishialClient(validateEnv(FishialEnv, { ...fake.clientEnv, ...env }));

  beforeAll(async () => {
    fake = await startFishialFake();
  });
  beforeEach(() => {
    fake.state.reset();
    client = make();
  });
  afterAll(() => fake.app.close());

  it('runs the four steps and keeps the most accurate species of the first result', async () => {
    const result = await client.recognize(image());
    expect(result.classifiedAs).toBe(expectedBestSpecies(PNG));
    expect(result.species.length).toBeGreaterThan(0);
    expect(fake.state.stats.calls).toEqual({ token: 1, upload: 1, put: 1, recognize: 1 });
  });

  it('shares one token among concurrent recognitions, and renews it once when it is rejected mid-run', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.recognize(image(variant(i)))));
    expect(fake.state.stats.calls.token).toBe(1);
    await fake.app.inject({ method: 'POST', url: '/_fake/faults', payload: { expireTokens: true } });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => client.recognize(image(variant(i)))));
    expect(results.every((r) => r.classifiedAs !== 'Unknown')).toBe(true);
    expect(fake.state.stats.calls.token).toBe(2);
  });

  it('prepare() starts the token request that the recognitions after it join, and leaves a failure to recognize()', async () => {
    client.prepare();
    client.prepare();
    await vi.waitFor(() => expect(fake.state.stats.calls.token).toBe(1));
    await Promise.all(Array.from({ length: 5 }, (_, i) => client.recognize(image(variant(i)))));
    expect(fake.state.stats.calls.token).toBe(1);

    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const wrong = make({ FISHIAL_CLIENT_SECRET: 'wrong' });
      wrong.prepare();
      await vi.waitFor(() => expect(fake.state.stats.calls.token).toBe(2));
      await expect(wrong.recognize(image())).rejects.toMatchObject({ transient: false, message: expect.stringMatching(/HTTP 401/) });
      await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('reports 5xx as transient and bad credentials, redirects and malformed JSON as permanent', async () => {
    fake.state.faults.failNext = 1;
    await expect(client.recognize(image())).rejects.toMatchObject({ transient: true });

    fake.state.faults.redirectTo = 'http://169.254.169.254/latest/meta-data/';
    await expect(client.recognize(image())).rejects.toMatchObject({ transient: false, message: expect.stringMatching(/redirect/) });
    fake.state.faults.redirectTo = null;

    fake.state.faults.malformedJson = true;
    await expect(client.recognize(image())).rejects.toMatchObject({ transient: false, message: expect.stringMatching(/not JSON/) });
    fake.state.faults.malformedJson = false;

    await expect(make({ FISHIAL_CLIENT_SECRET: 'wrong' }).recognize(image())).rejects.toBeInstanceOf(FishialError);
  });

  it('sends nothing to a direct-upload URL on a host that is not allowed, nor over plain http to a listed one', async () => {
    fake.state.faults.uploadOrigin = 'http://127.0.0.2:9';
    await expect(client.recognize(image())).rejects.toMatchObject({ transient: false, message: expect.stringMatching(/not allowed/) });
    await expect(make({ FISHIAL_UPLOAD_HOSTS: '127.0.0.2' }).recognize(image())).rejects.toMatchObject({
      message: expect.stringMatching(/not allowed/),
    });
    expect(fake.state.stats.calls.put).toBe(0);
  });

  it('treats running out of time while reading an answer as transient', async () => {
    // Headers at once, then a body that never ends.
    const stalled = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"access_token":');
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    const port = (stalled.address() as AddressInfo).port;
    try {
      const slow = make({ FISHIAL_AUTH_URL: `http://127.0.0.1:${port}/v1/auth/token`, FISHIAL_TIMEOUT_MS: '300' });
      await expect(slow.recognize(image())).rejects.toMatchObject({ transient: true, message: expect.stringMatching(/timed out/) });
    } finally {
      stalled.closeAllConnections();
      stalled.close();
    }
  });

  it('times out a call that hangs, as a transient error', async () => {
    fake.state.faults.slowMs = 2_000;
    const t0 = Date.now();
    await expect(make({ FISHIAL_TIMEOUT_MS: '200' }).recognize(image())).rejects.toMatchObject({
      transient: true,
      message: expect.stringMatching(/timed out/),
    });
    expect(Date.now() - t0).toBeLessThan(1_500);
  });
});
