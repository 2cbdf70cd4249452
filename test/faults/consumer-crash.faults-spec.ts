import type pg from 'pg';
import { type Diver, signupAndSignin, startApi, type TestApi } from '../support/api.js';
import { type ConsumerProcess, killIfRunning, spawnConsumer } from '../support/consumer-process.js';
import { driveLikes, settleOnModel } from '../support/like-load.js';
import { connectDb, queueDepths, seedWorld } from '../support/likes-model.js';

const COMMANDS = 20_000;
const KILLS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A consumer `kill -9`ed mid-batch, again and again, loses and duplicates nothing. */
describe('fault: consumer SIGKILLed at random under a like stream', () => {
  let api: TestApi;
  let db: pg.Client;
  let consumer: ConsumerProcess | undefined;

  beforeAll(async () => {
    api = await startApi();
    db = await connectDb();
  });
  afterAll(async () => {
    killIfRunning(consumer);
    await db?.end();
    await api?.close();
  });

  it(`applies every 202 of ${COMMANDS} commands over 2,000 keys exactly once through ${KILLS}+ SIGKILLs`, async () => {
    const { logbookIds } = await seedWorld(db, 'crash', 1, 100);
    const likers: Diver[] = [];
    for (let i = 0; i < 20; i++) likers.push(await signupAndSignin(api, `crash${i}`));
    const deadBefore = (await queueDepths()).dead;
    const env = { LIKE_BATCH_SIZE: '200', LIKE_BATCH_WAIT_MS: '20' };
    consumer = await spawnConsumer(env);

    let kills = 0;
    const stop = new AbortController();
    const killer = (async () => {
      while (!stop.signal.aborted) {
        await sleep(300 + Math.random() * 900);
        if (stop.signal.aborted) break;
        consumer!.child.kill('SIGKILL');
        await consumer!.exited;
        kills++;
        consumer = await spawnConsumer(env);
      }
    })();
    const load = await driveLikes({ url: api.url, likers, logbookIds, lanes: 32, done: (n) => n >= COMMANDS && kills >= KILLS });
    stop.abort();
    await killer;

    const final = await settleOnModel(db, logbookIds, load.expected);
    const depths = await queueDepths();
    console.log(
      `consumer crash: ${load.sent} requests (statuses ${JSON.stringify(load.statuses)}), ${load.accepted} commands answered 202 ` +
        `over ${load.expected.size} keys, ${kills} SIGKILLs; after the drain (${final.drainMs} ms): lost ${final.lost}, ` +
        `applied without a 202 ${final.unexpected}, likes_count consistent ${final.countsOk}, wrong answers ${load.wrong}, ` +
        `dead letters ${depths.dead - deadBefore}, left in the queue ${depths.ready}`,
    );
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    expect(load.accepted).toBeGreaterThanOrEqual(COMMANDS);
    expect(load.expected.size).toBeGreaterThan(1_500); // most of the 2,000 keys were exercised
    expect(load.abandoned).toBe(0);
    expect(load.wrong).toBe(0);
    expect(final).toMatchObject({ lost: 0, unexpected: 0, countsOk: true });
    expect(depths.dead - deadBefore).toBe(0);
    expect(depths.ready).toBe(0);
  });
});
