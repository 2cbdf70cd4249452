import type pg from 'pg';
import { type Diver, signupAndSignin, startApi, type TestApi } from '../support/api.js';
import { type ConsumerProcess, killIfRunning, spawnConsumer } from '../support/consumer-process.js';
import { driveLikes, settleOnModel } from '../support/like-load.js';
import { connectDb, queueDepths, seedWorld } from '../support/likes-model.js';
import { sample, scrape } from '../support/metrics.js';
import { refuseConnections } from '../support/postgres-outage.js';

const OUTAGE_MS = 5_000;

/**
 * Postgres away for a while under load. Likes need only the broker, so they
 * stay 202; reads that need Postgres answer 503 with Retry-After; the consumer pauses instead of
 * dead-lettering, and the backlog drains when Postgres is back.
 */
describe('fault: Postgres refusing connections under load', () => {
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

  it('keeps taking likes, answers reads 503 + Retry-After, dead-letters nothing and drains after', async () => {
    const { logbookIds } = await seedWorld(db, 'pgdown', 1, 50);
    const likers: Diver[] = [];
    for (let i = 0; i < 10; i++) likers.push(await signupAndSignin(api, `pgdown${i}`));
    const deadBefore = (await queueDepths()).dead;
    consumer = await spawnConsumer({ LIKE_BATCH_SIZE: '100', LIKE_BATCH_WAIT_MS: '20' });

    // Warm: every logbook has been liked through this API once before the outage.
    const warm = await driveLikes({ url: api.url, likers, logbookIds, lanes: 8, done: (n) => n >= 500 });

    let phase: 'before' | 'outage' | 'after' = 'before';
    let backlog = 0;
    let pausedSeconds = 0;
    const byPhase = {
      outage: { sent: 0, accepted: 0 },
      reads: { tried: 0, unavailable: 0, retryAfter: 0, other: {} as Record<number, number> },
    };
    const outage = (async () => {
      await new Promise((r) => setTimeout(r, 1_000));
      const restore = await refuseConnections('likes-test');
      phase = 'outage';
      const until = Date.now() + OUTAGE_MS;
      let page = 1;
      while (Date.now() < until) {
        // A page no one asked for before: it can only come from Postgres.
        const res = await api
          .http()
          .get(`/api/logbooks/?page_size=${(page++ % 90) + 10}`)
          .set('Authorization', `Bearer ${likers[0].access}`);
        byPhase.reads.tried++;
        if (res.status === 503) byPhase.reads.unavailable++;
        else byPhase.reads.other[res.status] = (byPhase.reads.other[res.status] ?? 0) + 1;
        if (res.headers['retry-after']) byPhase.reads.retryAfter++;
        await new Promise((r) => setTimeout(r, 100));
      }
      // What waited for Postgres beyond the consumer's prefetch (messages: the API gathers likes, so
      // the outage's likes may all fit in the prefetch window), and how long its batches waited.
      backlog = (await queueDepths()).ready;
      pausedSeconds =
        sample(await scrape(`http://127.0.0.1:${consumer.healthPort}/metrics`), 'consumer_paused_seconds_total', { queue: 'likes' }) ?? 0;
      await restore();
      phase = 'after';
      await new Promise((r) => setTimeout(r, 2_000));
    })();
    let outageAccepted = 0;
    const load = await driveLikes({
      url: api.url,
      likers,
      logbookIds,
      lanes: 8,
      done: () => {
        if (phase === 'outage') byPhase.outage.sent++;
        return phase === 'after' && outageAccepted++ > 0;
      },
    });
    await outage;

    const expected = new Map([...warm.expected, ...load.expected]);
    const final = await settleOnModel(db, logbookIds, expected);
    const depths = await queueDepths();
    console.log(
      `postgres outage ${OUTAGE_MS} ms: ${load.sent} like requests (statuses ${JSON.stringify(load.statuses)}), ` +
        `${byPhase.outage.sent} of them sent during the outage; ${byPhase.reads.tried} uncached reads during it → ` +
        `${byPhase.reads.unavailable} × 503 (${byPhase.reads.retryAfter} with Retry-After), others ${JSON.stringify(byPhase.reads.other)}; ` +
        `queued when it ended ${backlog}, batches paused ${pausedSeconds.toFixed(1)} s; after the drain (${final.drainMs} ms): lost ${final.lost}, applied ` +
        `without a 202 ${final.unexpected}, likes_count consistent ${final.countsOk}, dead letters ${depths.dead - deadBefore}`,
    );
    expect(load.statuses).toEqual({ 202: load.sent }); // no like refused, outage or not
    expect(byPhase.outage.sent).toBeGreaterThan(50);
    expect(byPhase.reads.tried).toBeGreaterThan(5);
    expect(byPhase.reads.unavailable).toBe(byPhase.reads.tried);
    expect(byPhase.reads.retryAfter).toBe(byPhase.reads.tried);
    expect(final).toMatchObject({ lost: 0, unexpected: 0, countsOk: true });
    expect(pausedSeconds).toBeGreaterThan(1); // the consumer really was held up
    expect(depths.dead - deadBefore).toBe(0);
    expect(consumer.child.exitCode).toBeNull(); // paused and resumed, never gave up
  });
});
