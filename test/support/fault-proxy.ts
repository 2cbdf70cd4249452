import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';

export interface FaultProxy {
  port: number;
  /** Black hole: connections stay open but no byte passes either way (a hung or SIGSTOPped peer). */
  freeze(): void;
  thaw(): void;
  /** Delays every chunk by `ms` each way (0: none), keeping the order of the bytes. */
  latency(ms: number): void;
  /** Resets every open connection (RST, as a crashed or restarted server's kernel would send). */
  reset(): number;
  /** Down: new connections are reset at once (a stopped server), until `up()`. Open ones are reset too. */
  down(): void;
  up(): void;
  /** Connections accepted and reset so far. */
  stats(): { accepted: number; reset: number };
  close(): Promise<void>;
}

/**
 * A TCP relay in front of a real service (Postgres, Redis, RabbitMQ) that injects the faults the
 * fault suites need: latency, resets, refusal and the black hole. Nothing here can be installed on
 * this machine (toxiproxy, tc), and a relay per test keeps each fault to the test that asked for it.
 */
export async function startFaultProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<FaultProxy> {
  let frozen = false;
  let delayMs = 0;
  let isDown = false;
  const counts = { accepted: 0, reset: 0 };
  const pairs = new Set<[Socket, Socket]>();

  const relay = (from: Socket, to: Socket) => {
    // A chain of timers per direction keeps chunks in order whatever the delay does meanwhile.
    let chain = Promise.resolve();
    from.on('data', (chunk) => {
      if (frozen) return;
      if (delayMs === 0) return void to.write(chunk);
      const wait = delayMs;
      chain = chain.then(() => new Promise((r) => setTimeout(r, wait))).then(() => void (to.destroyed || to.write(chunk)));
    });
    from.on('error', () => to.destroy());
    from.on('close', () => to.destroy());
  };

  const server: Server = createServer((client) => {
    counts.accepted++;
    if (isDown) {
      counts.reset++;
      return void client.resetAndDestroy();
    }
    const upstream = connect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.on('close', () => pairs.delete(pair));
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const resetAll = () => {
    const n = pairs.size;
    for (const [client, upstream] of pairs) {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    pairs.clear();
    counts.reset += n;
    return n;
  };

  return {
    port: (server.address() as AddressInfo).port,
    freeze: () => (frozen = true),
    thaw: () => (frozen = false),
    latency: (ms) => (delayMs = ms),
    reset: resetAll,
    down: () => {
      isDown = true;
      resetAll();
    },
    up: () => (isDown = false),
    stats: () => ({ ...counts }),
    close: async () => {
      resetAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
