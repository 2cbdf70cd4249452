import { connect, type Socket } from 'node:net';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.js';

/** The fault suites trust this relay's faults; here each is shown against the real Redis. */
/** PING → ms until +PONG, or the socket's fate ('reset', 'closed', 'silent' after `waitMs`). */
const ping = (s: Socket, waitMs = 1_000) =>
  new Promise<number | string>((resolve) => {
    const t0 = Date.now();
    const timer = setTimeout(() => resolve('silent'), waitMs);
    s.once('data', (d) => (clearTimeout(timer), resolve(d.toString().startsWith('+PONG') ? Date.now() - t0 : d.toString())));
    s.once('error', (e: NodeJS.ErrnoException) => (clearTimeout(timer), resolve(e.code === 'ECONNRESET' ? 'reset' : e.message)));
    s.once('close', () => (clearTimeout(timer), resolve('closed')));
    s.write('PING\r\n');
  });

describe('fault proxy (in front of Redis)', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(6379);
  });
  afterAll(() => proxy.close());

  const open = () =>
    new Promise<Socket>((resolve, reject) => {
      const s = connect(proxy.port, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });

  it('relays, delays, black-holes, resets and refuses on demand', async () => {
    const s = await open();
    expect(typeof (await ping(s))).toBe('number');

    proxy.latency(150);
    expect(await ping(s)).toBeGreaterThanOrEqual(300); // 150 ms each way
    proxy.latency(0);

    proxy.freeze();
    expect(await ping(s, 500)).toBe('silent');
    proxy.thaw();
    expect(typeof (await ping(s))).toBe('number');

    expect(proxy.reset()).toBe(1);
    expect(await ping(s)).toMatch(/reset|closed|EPIPE/);

    proxy.down();
    const refused = await open().then(ping, () => 'reset');
    expect(refused).toMatch(/reset|closed/);
    proxy.up();
    expect(typeof (await ping(await open()))).toBe('number');
    expect(proxy.stats().reset).toBeGreaterThanOrEqual(2);
  });
});
