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
    const { userIds, logbookIds } = await seedWorld(db, 'crash', 1, 100);
    const owner = userIds[0];
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
    // Like notifications, written by the batch statements themselves: none twice whatever was
    // redelivered, all to the owner, none for a pair the consumer never applied, and one for every
    // pair liked at the end.
    const notified = await db.query(
      `SELECT n.logbook_id, n.actor_id, n.user_id, count(*)::int AS n, bool_and(k.logbook_id IS NOT NULL) AS applied
         FROM notifications n LEFT JOIN likes k ON k.logbook_id = n.logbook_id AND k.user_id = n.actor_id
        WHERE n.type = 'like' AND n.logbook_id = ANY($1::bigint[]) GROUP BY 1, 2, 3`,
      [logbookIds],
    );
    const pairs = new Set(notified.rows.map((r) => `${r.logbook_id}:${r.actor_id}`));
    const likedAtEnd = (
      await db.query('SELECT logbook_id, user_id FROM likes WHERE liked AND logbook_id = ANY($1::bigint[])', [logbookIds])
    ).rows.map((r) => `${r.logbook_id}:${r.user_id}`);
    console.log(
      `consumer crash: ${load.sent} requests (statuses ${JSON.stringify(load.statuses)}), ${load.accepted} commands answered 202 ` +
        `over ${load.expected.size} keys, ${kills} SIGKILLs; after the drain (${final.drainMs} ms): lost ${final.lost}, ` +
        `applied without a 202 ${final.unexpected}, likes_count consistent ${final.countsOk}, wrong answers ${load.wrong}, ` +
        `dead letters ${depths.dead - deadBefore}, left in the queue ${depths.ready}; ` +
        `${notified.rows.length} like notifications for ${likedAtEnd.length} pairs liked at the end`,
    );
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    expect(load.accepted).toBeGreaterThanOrEqual(COMMANDS);
    expect(load.expected.size).toBeGreaterThan(1_500); // most of the 2,000 keys were exercised
    expect(load.abandoned).toBe(0);
    expect(load.wrong).toBe(0);
    expect(final).toMatchObject({ lost: 0, unexpected: 0, countsOk: true });
    expect(depths.dead - deadBefore).toBe(0);
    expect(depths.ready).toBe(0);
    expect(notified.rows.filter((r) => r.n !== 1 || Number(r.user_id) !== owner || !r.applied)).toEqual([]);
    expect(likedAtEnd.length).toBeGreaterThan(0);
    expect(likedAtEnd.filter((k) => !pairs.has(k))).toEqual([]);
  });
});
