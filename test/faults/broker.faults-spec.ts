import type pg from 'pg';
import { type Diver, signupAndSignin, startApi, type TestApi } from '../support/api.js';
import { type ConsumerProcess, killIfRunning, spawnConsumer } from '../support/consumer-process.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { driveLikes, settleOnModel } from '../support/like-load.js';
import { connectDb, queueDepths, seedWorld } from '../support/likes-model.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A broker that restarts under load (every connection reset, then refused for a
 * while, as a stopped RabbitMQ) never yields a 2xx without a confirm, and the API and the consumer
 * reconnect by themselves. Done through a fault proxy: stopping the machine's one RabbitMQ would
 * break every other test run sharing it.
 */
describe('fault: broker connections reset and refused under load', () => {
  let broker: FaultProxy;
  let api: TestApi;
  let db: pg.Client;
  let consumer: ConsumerProcess | undefined;

  beforeAll(async () => {
    broker = await startFaultProxy(5672);
    api = await startApi({ RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${broker.port}`, PUBLISH_CONFIRM_TIMEOUT_MS: '2000' });
    db = await connectDb();
  });
  afterAll(async () => {
    killIfRunning(consumer);
    await db?.end();
    await api?.close();
    await broker?.close();
  });

  it('answers 202 only for confirmed commands, applies every one, and both sides reconnect unaided', async () => {
    const { logbookIds } = await seedWorld(db, 'broker', 1, 50);
    const likers: Diver[] = [];
    for (let i = 0; i < 10; i++) likers.push(await signupAndSignin(api, `broker${i}`));
    const deadBefore = (await queueDepths()).dead;
    consumer = await spawnConsumer({
      RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${broker.port}`,
      LIKE_BATCH_SIZE: '100',
      LIKE_BATCH_WAIT_MS: '20',
    });

    const faults: string[] = [];
    let faulting = true;
    const injector = (async () => {
      for (let round = 0; round < 3; round++) {
        await sleep(1_500);
        faults.push(`reset ${broker.reset()} connections`);
      }
      await sleep(1_500);
      broker.down(); // stopped: connections reset, new ones refused
      await sleep(4_000);
      broker.up();
      faults.push('down 4 s, then up');
      await sleep(3_000); // load goes on after the last fault: both sides must be back by then
      faulting = false;
    })();
    const load = await driveLikes({ url: api.url, likers, logbookIds, lanes: 16, done: () => !faulting });
    await injector;

    // After the faults: the API publishes again and the consumer takes what was queued meanwhile.
    const after = await driveLikes({ url: api.url, likers, logbookIds, lanes: 4, done: (n) => n >= 200, retryForMs: 5_000 });
    const expected = new Map([...load.expected, ...after.expected]);
    const final = await settleOnModel(db, logbookIds, expected);
    const depths = await queueDepths();
    console.log(
      `broker faults: ${faults.join('; ')}; during: ${load.sent} requests (statuses ${JSON.stringify(load.statuses)}), ` +
        `after: ${after.sent} (statuses ${JSON.stringify(after.statuses)}); ${expected.size} keys; after the drain ` +
        `(${final.drainMs} ms): lost ${final.lost}, applied without a 202 ${final.unexpected}, likes_count consistent ` +
        `${final.countsOk}, wrong answers ${load.wrong + after.wrong}, dead letters ${depths.dead - deadBefore}`,
    );
    expect(
      Object.keys(load.statuses)
        .map(Number)
        .every((s) => s === 202 || s === 503),
    ).toBe(true);
    expect(load.statuses[503]).toBeGreaterThan(0); // the faults did bite
    expect(load.wrong + after.wrong + load.abandoned + after.abandoned).toBe(0);
    expect(after.statuses).toEqual({ 202: after.sent }); // reconnected: no retry needed any more
    expect(final).toMatchObject({ lost: 0, unexpected: 0, countsOk: true });
    expect(depths.dead - deadBefore).toBe(0);
    expect(broker.stats().accepted).toBeGreaterThan(2); // API and consumer both came back through it
  });
});
