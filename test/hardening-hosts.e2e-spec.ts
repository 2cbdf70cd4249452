import { once } from 'node:events';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import { CacheEnv } from '@app/cache';
import { validateEnv } from '@app/config';
import { type Diver, signupAndSignin, startApi, type TestApi } from './support/api.js';
import { createLogbook } from './support/fixtures.js';

const env = validateEnv(CacheEnv);
const INVALID = { detail: 'Invalid Host header.' };

/** One raw HTTP/1.1 exchange, for request lines supertest cannot write (absolute-form). */
async function rawRequest(api: TestApi, requestLine: string, host: string): Promise<{ status: number; body: string }> {
  const socket = connect(Number(new URL(api.url).port), '127.0.0.1');
  await once(socket, 'connect');
  // write, not end: a half-closed socket makes Node abort a request it has not answered yet.
  socket.write(`${requestLine}\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await once(socket, 'close');
  const text = Buffer.concat(chunks).toString();
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) };
}

describe('only allowed hosts reach the app and its cache (e2e)', () => {
  let api: TestApi;
  let diver: Diver;
  let logbook: number;
  let port: string;
  const redis = createClient({ url: env.REDIS_URL });
  /** Names of this run's cached view bodies, found with SCAN (never KEYS). */
  const viewKeys = async () => {
    const names = new Set<string>();
    for await (const key of redis.scanIterator({ MATCH: `${env.CACHE_NAMESPACE}:views:*`, COUNT: 1000 })) {
      if (!key.includes(':gen:')) names.add(key);
    }
    return names;
  };
  /** Entries that appeared since `before`: counted by name, since other suites' entries may expire meanwhile. */
  const writtenSince = async (before: Set<string>) => [...(await viewKeys())].filter((key) => !before.has(key));

  beforeAll(async () => {
    await redis.connect();
    api = await startApi();
    port = new URL(api.url).port;
    diver = await signupAndSignin(api, 'hosts');
    logbook = await createLogbook(api, diver.access);
    await createLogbook(api, diver.access);
  });
  afterAll(async () => {
    await api.close();
    await redis.quit();
  });

  it('answers 400 to made-up Host values and writes no cache entry for them', async () => {
    await api.http().get('/api/logbooks/?page_size=1').expect(200); // the honest entry exists
    const before = await viewKeys();
    const hosts = [
      'evil.example',
      `${randomBytes(4).toString('hex')}.example:${port}`,
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      'a b',
      '',
    ];
    for (let i = 0; i < 20; i++) hosts.push(`h${randomBytes(6).toString('hex')}.example`);
    for (const host of hosts) {
      const res = await api.http().get('/api/logbooks/?page_size=1').set('Host', host);
      expect({ host, status: res.status, body: res.body }).toEqual({ host, status: 400, body: INVALID });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const written = await writtenSince(before);
    expect(written).toEqual([]);
    console.log(`hosts: ${hosts.length} foreign Host values → ${hosts.length} × 400, ${written.length} cache entries written`);
  });

  it('serves the loopback names on any port, with links on the host asked for', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, 'localhost', `[::1]:${port}`, `LOCALHOST:${port}`]) {
      const res = await api.http().get('/api/logbooks/?page_size=1').set('Host', host).expect(200);
      expect(res.body.next).toBe(`http://${host.toLowerCase()}/api/logbooks/?page_size=1&page=2`);
    }
  });

  it('never takes the authority of an absolute-form request line into links or cache keys', async () => {
    const before = await viewKeys();
    const foreign = await rawRequest(api, 'GET http://evil.example/api/logbooks/?page_size=1 HTTP/1.1', `127.0.0.1:${port}`);
    expect(foreign).toEqual({ status: 400, body: JSON.stringify(INVALID) });
    expect(await writtenSince(before)).toEqual([]);

    const allowed = await rawRequest(api, `GET http://localhost:${port}/api/logbooks/?page_size=1 HTTP/1.1`, `127.0.0.1:${port}`);
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body).next).toBe(`http://127.0.0.1:${port}/api/logbooks/?page_size=1&page=2`);
  });

  it('serves a body above CACHE_MAX_ENTRY_BYTES without storing it', async () => {
    const small = await startApi({ CACHE_MAX_ENTRY_BYTES: '64' });
    try {
      const url = `/api/logbooks/${logbook}/`;
      const before = await viewKeys();
      for (let i = 0; i < 3; i++) {
        const res = await small.http().get(url).expect(200);
        expect(res.body.id).toBe(logbook);
        expect(res.headers['x-cache']).toBe('MISS');
      }
      expect(await writtenSince(before)).toEqual([]);
      // The same view under the default bound is stored and then hit.
      await api.http().get(url).expect(200);
      const again = await api.http().get(url).expect(200);
      expect(again.headers['x-cache']).toBe('HIT');
      expect((await writtenSince(before)).length).toBeGreaterThan(0);
    } finally {
      await small.close();
    }
  });
});

describe('ALLOWED_HOSTS (e2e)', () => {
  it('replaces the defaults with its own entries: exact, with a port, and a domain with its subdomains', async () => {
    const api = await startApi({ ALLOWED_HOSTS: 'api.example.com, admin.example.com:8443,.divers.example' });
    try {
      const status = async (host: string) => (await api.http().get('/health').set('Host', host)).status;
      expect(await status('api.example.com')).toBe(200);
      expect(await status('api.example.com:3000')).toBe(200);
      expect(await status('admin.example.com:8443')).toBe(200);
      expect(await status('admin.example.com')).toBe(400);
      expect(await status('divers.example')).toBe(200);
      expect(await status('eu.divers.example:443')).toBe(200);
      expect(await status('xdivers.example')).toBe(400);
      expect(await status('localhost')).toBe(400);
    } finally {
      await api.close();
    }
  });

  it('allows the PUBLIC_URL host by default, next to loopback', async () => {
    const api = await startApi({ PUBLIC_URL: 'https://dive.example' });
    try {
      await api.http().get('/health').set('Host', 'dive.example').expect(200);
      await api.http().get('/health').set('Host', 'other.example').expect(400, INVALID);
      await api.http().get('/health').expect(200);
    } finally {
      await api.close();
    }
  });

  it('refuses a malformed list at boot, naming the variable', async () => {
    await expect(startApi({ ALLOWED_HOSTS: 'http://x.example/' })).rejects.toThrow(
      /^Config error: ALLOWED_HOSTS="http:\/\/x.example\/" is invalid/,
    );
  });
});
