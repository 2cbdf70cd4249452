import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApi, type TestApi } from './support/api.js';

/** A raw connection that records when the server closed it, and what it answered. */
async function open(api: TestApi) {
  const started = Date.now();
  const socket: Socket = connect(Number(new URL(api.url).port), '127.0.0.1');
  socket.on('error', () => undefined);
  let received = '';
  socket.on('data', (c: Buffer) => (received += c.toString()));
  const closed = once(socket, 'close').then(() => Date.now() - started);
  await once(socket, 'connect');
  return { socket, closed, received: () => received };
}

/** Writes `text` one byte a second until the server closes the socket (or the text runs out). */
async function dribble(socket: Socket, text: string): Promise<void> {
  for (const byte of text) {
    if (socket.destroyed || socket.closed) return;
    socket.write(byte);
    await sleep(1_000);
  }
}

const within = (ms: Promise<number>, bound: number) => Promise.race([ms, sleep(bound).then(() => Number.POSITIVE_INFINITY)]);

describe('slow clients are cut off (e2e)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '500' });
  });
  afterAll(() => api.close());

  it('closes a socket sending headers, and one sending a declared 100 kB body, one byte a second, while serving others', async () => {
    const headers = await open(api);
    headers.socket.write('GET /health HTTP/1.1\r\n');
    void dribble(headers.socket, 'Host: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(60));

    const body = await open(api);
    body.socket.write(
      'POST /api/auths/signin/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"email":"',
    );
    void dribble(body.socket, 'a'.repeat(100_000));

    // Meanwhile everyone else is served as usual.
    let served = 0;
    const others = (async () => {
      for (let i = 0; i < 10; i++) {
        await api.http().get('/health').expect(200, { status: 'ok' });
        served++;
        await sleep(300);
      }
    })();

    const [headersMs, bodyMs] = await Promise.all([within(headers.closed, 6_000), within(body.closed, 6_000)]);
    await others;
    console.log(
      `slow clients: headers cut after ${headersMs} ms (bound 1000), body after ${bodyMs} ms (bound 2000), ${served}/10 others served`,
    );
    expect(headersMs).toBeLessThan(2_500);
    expect(bodyMs).toBeLessThan(3_500);
    expect(bodyMs).toBeGreaterThanOrEqual(1_500); // the request budget, not the headers' one, applied
    expect(body.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(served).toBe(10);
  });

  it('closes an idle keep-alive connection after HTTP_KEEP_ALIVE_TIMEOUT_MS', async () => {
    const idle = await open(api);
    idle.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const ms = await within(idle.closed, 5_000);
    expect(idle.received()).toMatch(/^HTTP\/1\.1 200/);
    // Node allows a keep-alive socket its timeout plus a 1 s buffer; without the setting Fastify keeps it 72 s.
    expect(ms).toBeLessThan(3_000);
  });

  it('refuses connections beyond HTTP_MAX_CONNECTIONS, and serves again once one is freed', async () => {
    const capped = await startApi({ HTTP_MAX_CONNECTIONS: '3' });
    try {
      const held = await Promise.all([open(capped), open(capped), open(capped)]);
      await sleep(100);
      const extra = await open(capped);
      extra.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      expect(await within(extra.closed, 2_000)).toBeLessThan(2_000);
      expect(extra.received()).toBe('');

      held[0].socket.destroy();
      await held[0].closed;
      await sleep(100);
      await capped.http().get('/health').expect(200);
      for (const h of held) h.socket.destroy();
    } finally {
      await capped.close();
    }
  });

  it('refuses a headers timeout above the request timeout at boot', async () => {
    await expect(startApi({ HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '1000' })).rejects.toThrow(
      'Config error: HTTP_HEADERS_TIMEOUT_MS=5000 is above HTTP_REQUEST_TIMEOUT_MS=1000',
    );
  });
});
