import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AddressInfo } from 'node:net';
import { type Server, createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectedBestSpecies } from '../../apps/fishial-fake/src/species.js';
import { type Faults, NO_FAULTS, type Stats } from '../../apps/fishial-fake/src/fake.state.js';
import { type Diver, signupAndSignin, startApi, startConsumer, type TestApi } from '../support/api.js';
import { uniquePng } from '../support/fixtures.js';
import { type RunningFake, startFishialFake } from '../support/fishial-fake.js';
import { waitFor } from '../support/likes-model.js';

/**
 * Fishial misbehaving, through the real API, queue and consumer against the fake Fishial server:
 * hangs past FISHIAL_TIMEOUT_MS, 5xx, malformed JSON, redirects and direct-upload URLs on other hosts.
 * For each fault: how many calls reached the fake (its /_fake/stats), bounded by RECOGNITION_ATTEMPTS;
 * the photo's final status and reason; and that nothing left for a host off the allow-list (a second
 * HTTP server plays "another host" and counts every connection it gets).
 *
 * Already covered elsewhere and not repeated: test/photos.e2e-spec.ts (3 × 5xx then done, 5xx for good
 * → failed "after 4 attempts", an upload URL on uploads.example.net, token renewal mid-run) and
 * test/fishial-client.e2e-spec.ts (the client alone: transient vs permanent, stalled body reads).
 * Here the counts are exact, the boundaries (attempts − 1 and attempts) are probed, and every fault
 * goes through the consumer's retry loop.
 */

const ATTEMPTS = 4;
const TIMEOUT_MS = 300;
const RETRY_BASE_MS = 40;
/** Longest a photo may take under a fault: every attempt timing out plus the longest backoffs, with slack for a busy machine. */
const PHOTO_BOUND_MS = ATTEMPTS * TIMEOUT_MS + RETRY_BASE_MS * 1.5 * (2 ** (ATTEMPTS - 1) - 1) + 4_000;
const ZERO_DELAYS = 'token:0,upload:0,put:0,recognize:0';
const variant = uniquePng;

type Calls = Stats['calls'];
type Injected = Partial<Faults> & { delays?: string; expireTokens?: boolean };

interface Photo {
  id: number;
  status: string | null;
  classified_as: string | null;
  error: string | null;
}

interface Outcome {
  photo: Photo;
  calls: Calls;
  errors: number;
  otherHost: number;
  ms: number;
}

const diff = (after: Calls, before: Calls): Calls => ({
  token: after.token - before.token,
  upload: after.upload - before.upload,
  put: after.put - before.put,
  recognize: after.recognize - before.recognize,
});

const failedWith = (photo: Photo, reason: RegExp) => {
  expect(photo.status).toBe('failed');
  expect(photo.classified_as).toBeNull();
  expect(photo.error).toMatch(reason);
};

describe('Fishial misbehaving: timeouts, 5xx, malformed JSON, redirects, foreign upload URLs (faults)', () => {
  let fake: RunningFake;
  let fakePort: number;
  let api: TestApi;
  let consumer: NestFastifyApplication;
  let diver: Diver;
  let other: Server;
  let otherPort: number;
  /** Connections and requests "another host" received: must stay 0. */
  const reached = { connections: 0, requests: [] as string[] };
  const summary: string[] = [];

  beforeAll(async () => {
    other = createServer((req, res) => {
      reached.requests.push(`${req.method} ${req.url}`);
      res.writeHead(204).end();
    });
    other.on('connection', () => reached.connections++);
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherPort = (other.address() as AddressInfo).port;

    fake = await startFishialFake(ZERO_DELAYS);
    fakePort = Number(new URL(fake.url).port);
    api = await startApi();
    consumer = await startConsumer({
      ...fake.clientEnv,
      RECOGNITION_ATTEMPTS: String(ATTEMPTS),
      RECOGNITION_RETRY_BASE_MS: String(RETRY_BASE_MS),
      FISHIAL_TIMEOUT_MS: String(TIMEOUT_MS),
      RECOGNITION_CONCURRENCY: '8',
      // "Another host" is listed, to show that a listed host still gets nothing over plain http; the
      // fake itself is not listed and stays reachable as the API's own host.
      FISHIAL_UPLOAD_HOSTS: `storage.googleapis.com,127.0.0.1:${otherPort}`,
    });
    diver = await signupAndSignin(api, 'fishfaults');
  });

  afterEach(async () => {
    await setFaults({ ...NO_FAULTS, delays: ZERO_DELAYS });
  });

  afterAll(async () => {
    console.log(
      `[fishial faults] summary (attempts ${ATTEMPTS}, timeout ${TIMEOUT_MS} ms, retry base ${RETRY_BASE_MS} ms):\n  ${summary.join('\n  ')}`,
    );
    console.log(`[fishial faults] "another host" received ${reached.connections} connections, ${reached.requests.length} requests`);
    await consumer?.close();
    await api?.close();
    await fake?.app.close();
    other?.closeAllConnections();
    await new Promise<void>((resolve) => (other ? other.close(() => resolve()) : resolve()));
  });

  const bearer = () => ({ Authorization: `Bearer ${diver.access}` });

  async function setFaults(faults: Injected): Promise<void> {
    const res = await fetch(`${fake.url}/_fake/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(faults),
    });
    expect(res.status).toBe(200);
  }

  async function stats(): Promise<Stats> {
    return (await (await fetch(`${fake.url}/_fake/stats`)).json()) as Stats;
  }

  async function createPhoto(bytes: Buffer): Promise<number> {
    const res = await api.http().post('/api/photo/').set(bearer()).field('title', 'fault').attach('image', bytes, 'fish.png');
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const settled = (id: number) =>
    waitFor(
      `photo ${id} to finish`,
      async () => {
        const p = (await api.http().get(`/api/photo/${id}/`).set(bearer()).expect(200)).body as Photo;
        return p.status === 'done' || p.status === 'failed' ? p : undefined;
      },
      30_000,
    );

  /**
   * Injects `faults`, classifies `count` new photos at once, waits until each is done or failed and
   * returns each outcome with the calls the fake received meanwhile (shared by the photos).
   */
  async function classifyUnder(label: string, faults: Injected, opts: { count?: number; during?: (before: Calls) => Promise<void> } = {}) {
    await setFaults(faults);
    const images = Array.from({ length: opts.count ?? 1 }, (_, i) => variant(`${label}-${i}`));
    const ids = await Promise.all(images.map(createPhoto));
    const before = await stats();
    const reachedBefore = reached.connections;
    const t0 = Date.now();
    const queued = await api.http().post('/api/photo/classify/').set(bearer()).send({ photo_ids: ids });
    expect(queued.status).toBe(202);
    if (opts.during) await opts.during(before.calls);
    const photos = await Promise.all(ids.map(settled));
    const ms = Date.now() - t0;
    const after = await stats();
    const calls = diff(after.calls, before.calls);
    const outcome = { photos, images, calls, errors: after.errors - before.errors, otherHost: reached.connections - reachedBefore, ms };
    const shown = Object.fromEntries(Object.entries(faults).filter(([k, v]) => v !== (NO_FAULTS as unknown as Record<string, unknown>)[k]));
    const line =
      `${label}: injected ${JSON.stringify(shown)} → ${photos.map((p) => `photo ${p.id} ${p.status}${p.error ? ` "${p.error}"` : ` as ${p.classified_as}`}`).join('; ')}; ` +
      `Fishial calls ${JSON.stringify(calls)}, 5xx sent ${outcome.errors}, other host reached ${outcome.otherHost}×, ${ms} ms`;
    console.log(`[fishial faults] ${line}`);
    summary.push(line);
    return outcome;
  }

  async function classifyOne(
    label: string,
    faults: Injected,
    during?: (before: Calls) => Promise<void>,
  ): Promise<Outcome & { bytes: Buffer }> {
    const o = await classifyUnder(label, faults, { during });
    return { ...o, photo: o.photos[0], bytes: o.images[0] };
  }

  it('baseline, no fault: done with the expected species, one call per step', async () => {
    const o = await classifyOne('no fault', {});
    expect(o.photo).toMatchObject({ status: 'done', error: null, classified_as: expectedBestSpecies(o.bytes) });
    expect(o.calls.token).toBeLessThanOrEqual(1);
    expect(o.calls).toMatchObject({ upload: 1, put: 1, recognize: 1 });
  });

  it('Fishial hangs past FISHIAL_TIMEOUT_MS on every call: exactly RECOGNITION_ATTEMPTS tries, then failed "timed out"', async () => {
    const o = await classifyOne('hang (slowMs 1500)', { slowMs: 1_500 });
    failedWith(o.photo, new RegExp(`/v1/recognition/upload: timed out \\(after ${ATTEMPTS} attempts\\)`));
    expect(o.calls).toEqual({ token: 0, upload: ATTEMPTS, put: 0, recognize: 0 });
    // Each try was cut at the timeout, not at the fake's 1.5 s.
    expect(o.ms).toBeGreaterThanOrEqual(ATTEMPTS * TIMEOUT_MS);
    expect(o.ms).toBeLessThan(PHOTO_BOUND_MS);
  });

  it('Fishial hangs, then recovers between tries: done, with at most RECOGNITION_ATTEMPTS uploads', async () => {
    const o = await classifyOne('hang that clears after the first try', { slowMs: 1_500 }, async (before) => {
      await waitFor('a first, hanging upload', async () => ((await stats()).calls.upload > before.upload ? true : undefined), 10_000);
      await setFaults({ slowMs: 0 });
    });
    expect(o.photo).toMatchObject({ status: 'done', error: null, classified_as: expectedBestSpecies(o.bytes) });
    expect(o.calls.upload).toBeGreaterThanOrEqual(2);
    expect(o.calls.upload).toBeLessThanOrEqual(ATTEMPTS);
    expect(o.calls).toMatchObject({ put: 1, recognize: 1 });
  });

  it('the token endpoint hangs after the token was revoked: exactly RECOGNITION_ATTEMPTS renewals, then failed "auth/token: timed out"', async () => {
    const o = await classifyOne('revoked token, token endpoint hangs', {
      expireTokens: true,
      delays: 'token:1500,upload:0,put:0,recognize:0',
    });
    failedWith(o.photo, new RegExp(`/v1/auth/token: timed out \\(after ${ATTEMPTS} attempts\\)`));
    // Each try: the upload is refused (401), one renewal is attempted and times out; nothing else.
    expect(o.calls).toEqual({ token: ATTEMPTS, upload: ATTEMPTS, put: 0, recognize: 0 });
    expect(o.ms).toBeLessThan(PHOTO_BOUND_MS);
    // And it recovers with the endpoint: one renewal, the refused upload once more, then the rest.
    const next = await classifyOne('token endpoint fast again', { delays: ZERO_DELAYS });
    expect(next.photo).toMatchObject({ status: 'done', error: null });
    expect(next.calls).toEqual({ token: 1, upload: 2, put: 1, recognize: 1 });
  });

  it('5xx on RECOGNITION_ATTEMPTS − 1 calls (transient, clears in time): done on the last try', async () => {
    const o = await classifyOne(`5xx × ${ATTEMPTS - 1}`, { failNext: ATTEMPTS - 1 });
    expect(o.photo).toMatchObject({ status: 'done', error: null, classified_as: expectedBestSpecies(o.bytes) });
    expect(o.calls).toMatchObject({ upload: ATTEMPTS, put: 1, recognize: 1 });
    expect(o.errors).toBe(ATTEMPTS - 1);
  });

  it('5xx on RECOGNITION_ATTEMPTS calls: failed "HTTP 500", and not one call more', async () => {
    const o = await classifyOne(`5xx × ${ATTEMPTS}`, { failNext: ATTEMPTS });
    failedWith(o.photo, new RegExp(`HTTP 500 \\(after ${ATTEMPTS} attempts\\)`));
    expect(o.calls).toEqual({ token: 0, upload: ATTEMPTS, put: 0, recognize: 0 });
    expect(o.errors).toBe(ATTEMPTS);
  });

  it('5xx for good on 6 photos at once: every photo failed, 6 × RECOGNITION_ATTEMPTS calls in all (no retry storm)', async () => {
    const o = await classifyUnder('5xx for good, 6 photos at once', { failAll: true }, { count: 6 });
    for (const p of o.photos) failedWith(p, new RegExp(`HTTP 500 \\(after ${ATTEMPTS} attempts\\)`));
    expect(o.calls).toEqual({ token: 0, upload: 6 * ATTEMPTS, put: 0, recognize: 0 });
    expect(o.ms).toBeLessThan(PHOTO_BOUND_MS);
  });

  it('malformed JSON from recognition: failed "not JSON" at once (a permanent error is not retried)', async () => {
    const o = await classifyOne('malformed JSON', { malformedJson: true });
    failedWith(o.photo, /not JSON/);
    expect(o.calls).toEqual({ token: 0, upload: 1, put: 1, recognize: 1 });
  });

  it('a redirect to the cloud metadata address: failed "redirect … not followed", one call, no timeout spent on the target', async () => {
    const o = await classifyOne('redirect to 169.254.169.254', {
      redirectTo: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    });
    failedWith(o.photo, /redirect \(302\); not followed/);
    expect(o.calls).toEqual({ token: 0, upload: 1, put: 1, recognize: 1 });
    // Following it would have meant a connection attempt there (unroutable here: a timeout, retried).
    expect(o.photo.error).not.toMatch(/timed out/);
  });

  it('a redirect to another host: failed "redirect", and that host never contacted', async () => {
    const o = await classifyOne('redirect to another host', { redirectTo: `http://127.0.0.1:${otherPort}/exfiltrate?from=fishial` });
    failedWith(o.photo, /redirect \(302\); not followed/);
    expect(o.calls).toEqual({ token: 0, upload: 1, put: 1, recognize: 1 });
    expect(o.otherHost).toBe(0);
  });

  describe('direct-upload URLs off the allow-list: failed "not allowed", not retried, 0 bytes sent anywhere', () => {
    const cases: Array<[string, () => string, () => RegExp]> = [
      [
        'a listed host over plain http',
        () => `http://127.0.0.1:${otherPort}`,
        () => new RegExp(`not allowed \\(http://127\\.0\\.0\\.1:${otherPort}\\)`),
      ],
      [
        'an unlisted name of that host',
        () => `http://localhost:${otherPort}`,
        () => new RegExp(`not allowed \\(http://localhost:${otherPort}\\)`),
      ],
      [
        'the fake itself under another name',
        () => `http://localhost:${fakePort}`,
        () => new RegExp(`not allowed \\(http://localhost:${fakePort}\\)`),
      ],
      [
        'userinfo that looks like the API host',
        () => `http://127.0.0.1:${fakePort}@localhost:${otherPort}`,
        () => new RegExp(`not allowed \\(http://localhost:${otherPort}\\)`),
      ],
      ['the cloud metadata address', () => 'http://169.254.169.254', () => /not allowed \(http:\/\/169\.254\.169\.254\)/],
    ];
    it.each(cases)('%s', async (label, origin, reason) => {
      const o = await classifyOne(`upload URL: ${label}`, { uploadOrigin: origin() });
      failedWith(o.photo, reason());
      // Refused before the PUT: neither the fake's direct-upload endpoint nor the other host saw it.
      expect(o.calls).toEqual({ token: 0, upload: 1, put: 0, recognize: 0 });
      expect(o.otherHost).toBe(0);
    });
  });

  it('after every fault is cleared: done again, and the other host received nothing in the whole file', async () => {
    await sleep(50);
    const o = await classifyOne('all clear', {});
    expect(o.photo).toMatchObject({ status: 'done', error: null, classified_as: expectedBestSpecies(o.bytes) });
    expect(o.calls).toEqual({ token: 0, upload: 1, put: 1, recognize: 1 });
    expect(reached.connections).toBe(0);
    expect(reached.requests).toEqual([]);
  });
});
