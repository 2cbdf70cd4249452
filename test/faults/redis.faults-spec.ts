import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createClient } from '@redis/client';
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { CacheEnv, CacheKeys } from '@app/cache';
import { validateEnv } from '@app/config';
import { bearer, type Diver, signupAndSignin, startApi, startConsumer, type TestApi } from '../support/api.js';
import { createLogbook } from '../support/fixtures.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { connectDb, waitFor } from '../support/likes-model.js';
import { type RedisServer, pingRedis, startRedisServer } from '../support/redis-server.js';

/**
 * Redis down and Redis hung (SIGSTOP), on a redis-server of this file's own (the shared one on 6379
 * is never touched). A read load on cached routes runs through both faults; a like/unlike commits
 * while Redis is away, so the consumer's generation bump fails (or, under SIGSTOP, waits in the socket
 * until SIGCONT); then we measure how long reads kept showing the old state after Redis returned.
 *
 * What test/degraded.e2e-spec.ts already covers and is not repeated here: one request at a time
 * through a frozen TCP proxy (not a stopped process) and an API booted against a closed port. Here:
 * concurrent load, a real process stopped and killed, the return of Redis, and staleness. A third
 * fault, Redis unreachable while its data survives (a partition, or a restart with persistence), is
 * the one where a lost generation bump really leaves stale entries behind: it shows the TTL bound at
 * work. The last test pins what happens to generation numbers when Redis comes back empty.
 */

const TTL_S = 4;
const COMMAND_TIMEOUT_MS = 200;
/** Each GET of the load must be answered within this, faults included (a hang would take the whole fault). */
const LATENCY_BOUND_MS = 3_000;
/** Past the TTL: the breaker's probe (1 s) and timer slack. */
const STALE_MARGIN_MS = 1_500;
const STOP_MS = 5_000;
const DOWN_MS = 4_000;
/** The partition test: a TTL long enough that entries outlive the partition and the reconnect. */
const PARTITION_TTL_S = 6;
const PARTITION_MS = 1_500;
const READERS = 6;

interface Logbook {
  id: number;
  likes: Array<number | string>;
  liked_by_current_user?: boolean;
}
/** A parsed body of the routes read here: a list of logbooks, a page of them, or one (what it is not, it lacks). */
type Body = Partial<Logbook> & { results?: Logbook[] };

interface Route {
  name: string;
  path: string;
  auth?: Diver;
  /** Whether the body shows the liker's like of the target logbook; undefined: unexpected body. */
  liked: (body: Body) => boolean | undefined;
}

const has = <T>(list: T[] | undefined, item: T) => (Array.isArray(list) ? list.includes(item) : undefined);

interface Read {
  route: string;
  start: number;
  end: number;
  status: number;
  cache: string | undefined;
  liked: boolean | undefined;
  error?: string;
}

describe('Redis down and Redis hung (SIGSTOP), under a read load (faults)', () => {
  let redis: RedisServer;
  let api: TestApi;
  let base: string;
  let consumer: NestFastifyApplication;
  let consumerEnv: Record<string, string>;
  let db: pg.Client;
  let owner: Diver;
  let liker: Diver;
  let logbookId: number;
  let otherLogbookId: number;
  let routes: Route[];

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, CACHE_TTL_SECONDS: String(TTL_S), REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS) };
    api = await startApi(env);
    base = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    consumerEnv = { ...env, LIKE_BATCH_WAIT_MS: '20' };
    consumer = await startConsumer(consumerEnv);
    db = await connectDb();
    owner = await signupAndSignin(api, 'redisowner');
    liker = await signupAndSignin(api, 'redisliker');
    // Far-future dive date: first in the feed whatever else this run's database holds.
    logbookId = await createLogbook(api, owner.access, { dive_date: '2999-12-31', dive_title: 'redis target' });
    otherLogbookId = await createLogbook(api, owner.access, { dive_title: 'redis other' });
    const entry = (list: unknown, id = logbookId) => (Array.isArray(list) ? (list as Logbook[]).find((l) => l.id === id) : undefined);
    routes = [
      {
        name: 'likes list',
        path: '/api/logbooks/likes/',
        liked: (b) => (Array.isArray(b) ? (entry(b)?.likes.includes('redisliker') ?? false) : undefined),
      },
      { name: 'feed page', path: '/api/logbooks/?page_size=100', liked: (b) => has(entry(b?.results)?.likes, liker.id) },
      { name: 'detail (owner)', path: `/api/logbooks/${logbookId}/`, auth: owner, liked: (b) => has(b?.likes, liker.id) },
      { name: 'detail (liker)', path: `/api/logbooks/${logbookId}/`, auth: liker, liked: (b) => b?.liked_by_current_user },
      { name: 'my_logbooks', path: '/api/logbooks/my_logbooks/', auth: owner, liked: (b) => has(entry(b)?.likes, liker.id) },
      { name: 'like view', path: `/api/logbooks/${logbookId}/like/`, auth: owner, liked: (b) => has(b?.likes, 'redisliker') },
    ];
  });

  afterAll(async () => {
    // A stopped Redis first gets SIGCONT (close() does it), so nothing below waits on it.
    redis?.cont();
    await db?.end();
    await consumer?.close();
    await api?.close();
    await redis?.close();
  });

  async function readOnce(route: Route, url = base): Promise<Read> {
    const start = Date.now();
    try {
      const res = await fetch(`${url}${route.path}`, {
        headers: route.auth ? bearer(route.auth) : {},
        signal: AbortSignal.timeout(20_000),
      });
      const text = await res.text();
      const end = Date.now();
      let liked: boolean | undefined;
      try {
        liked = route.liked(JSON.parse(text));
      } catch {
        liked = undefined;
      }
      return {
        route: route.name,
        start,
        end,
        status: res.status,
        cache: res.headers.get('x-cache') ?? undefined,
        liked,
        error: res.status === 200 ? undefined : text.slice(0, 200),
      };
    } catch (err) {
      return { route: route.name, start, end: Date.now(), status: 0, cache: undefined, liked: undefined, error: (err as Error).message };
    }
  }

  /** READERS loops of GETs over every route until stopped; every answer is kept. */
  function startLoad(url = base) {
    const reads: Read[] = [];
    const stopped = new AbortController();
    const loops = Array.from({ length: READERS }, async (_, r) => {
      for (let i = r; !stopped.signal.aborted; i++) reads.push(await readOnce(routes[i % routes.length], url));
    });
    return {
      reads,
      stop: async () => {
        stopped.abort();
        await Promise.all(loops);
        return reads;
      },
    };
  }

  /** The logbook views generation as Redis holds it now (a short-lived client: Redis gets killed here). */
  const readGeneration = async (): Promise<number> => {
    const client = createClient({ url: redis.url });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return Number((await client.get(new CacheKeys(validateEnv(CacheEnv).CACHE_NAMESPACE).viewsGeneration('logbooks'))) ?? 0);
    } finally {
      await client.quit();
    }
  };

  const likedInDb = async () => {
    const { rows } = await db.query('SELECT liked FROM likes WHERE logbook_id = $1 AND user_id = $2', [logbookId, liker.id]);
    return rows[0]?.liked === true;
  };
  const waitCommitted = (liked: boolean) =>
    waitFor(`like=${liked} committed`, async () => ((await likedInDb()) === liked ? Date.now() : undefined), 20_000);

  /** Every route answers from the cache (HIT) with the given state: the fault then has something to make stale. */
  async function warm(liked: boolean, url = base) {
    await waitFor(
      'warm cache',
      async () => {
        const reads = await Promise.all(routes.map((r) => readOnce(r, url)));
        return reads.every((r) => r.status === 200 && r.cache === 'HIT' && r.liked === liked) ? true : undefined;
      },
      15_000,
    );
  }

  interface Outcome {
    sent: number;
    non200: number;
    maxMs: number;
    unexpectedBodies: number;
    staleDuringOutage: number;
    staleAfterReturnMs: number;
    lastStaleStartAfterReturnMs: number;
    hitsDuringOutage: number;
    hitsAfterReturn: number;
  }

  /**
   * `commitAt`: when the test saw the new state in Postgres; `outageFrom`: when every Redis call had
   * long been failing (fault + 1 s); `returnAt`: when Redis answered again. A stale read is one that
   * started after the commit was visible and still shows the old state.
   */
  function analyse(
    label: string,
    reads: Read[],
    newState: boolean,
    commitAt: number,
    outageFrom: number,
    returnAt: number,
    ttlS = TTL_S,
  ): Outcome {
    const non200 = reads.filter((r) => r.status !== 200);
    const stale = reads.filter((r) => r.status === 200 && r.start > commitAt && r.liked === !newState);
    const staleAfter = stale.filter((r) => r.end > returnAt);
    const outcome: Outcome = {
      sent: reads.length,
      non200: non200.length,
      maxMs: Math.max(...reads.map((r) => r.end - r.start)),
      unexpectedBodies: reads.filter((r) => r.status === 200 && r.liked === undefined).length,
      staleDuringOutage: stale.filter((r) => r.end <= returnAt).length,
      staleAfterReturnMs: staleAfter.length ? Math.max(...staleAfter.map((r) => r.end)) - returnAt : 0,
      lastStaleStartAfterReturnMs: staleAfter.length ? Math.max(...staleAfter.map((r) => r.start)) - returnAt : 0,
      hitsDuringOutage: reads.filter((r) => r.start > outageFrom && r.end < returnAt && r.cache === 'HIT').length,
      hitsAfterReturn: reads.filter((r) => r.start > returnAt && r.cache === 'HIT').length,
    };
    const slowest = reads.toSorted((a, b) => b.end - b.start - (a.end - a.start))[0];
    console.log(
      `[redis faults] ${label}: requests sent ${outcome.sent}, non-200 ${outcome.non200}, max latency ${outcome.maxMs} ms (${slowest?.route}), ` +
        `stale reads during the outage ${outcome.staleDuringOutage}, stale window after Redis returned ${outcome.staleAfterReturnMs} ms ` +
        `(${staleAfter.length} stale reads, bound ${ttlS * 1000 + STALE_MARGIN_MS} ms), cache hits during the outage ${outcome.hitsDuringOutage}, ` +
        `after return ${outcome.hitsAfterReturn}, unexpected bodies ${outcome.unexpectedBodies}`,
    );
    for (const r of non200.slice(0, 5)) console.log(`[redis faults]   non-200: ${r.route} ${r.status} ${r.error}`);
    return outcome;
  }

  function expectHealthy(o: Outcome, ttlS = TTL_S) {
    expect(o.sent).toBeGreaterThan(100);
    expect(o.non200, 'every GET answered 200').toBe(0);
    expect(o.unexpectedBodies).toBe(0);
    expect(o.maxMs, `each GET within ${LATENCY_BOUND_MS} ms`).toBeLessThan(LATENCY_BOUND_MS);
    // While Redis is away reads come from Postgres: nothing cached can be served, nothing old shown.
    expect(o.hitsDuringOutage).toBe(0);
    expect(o.staleDuringOutage).toBe(0);
    // After it returns: no read starts later than TTL + margin and still shows the old state...
    expect(o.lastStaleStartAfterReturnMs, 'no stale read beyond the TTL after Redis returned').toBeLessThan(ttlS * 1000 + STALE_MARGIN_MS);
    // ...and the cache is used again (the breaker closed).
    expect(o.hitsAfterReturn).toBeGreaterThan(0);
  }

  it('hung (SIGSTOP for 5 s, then SIGCONT): every GET 200 within the bound, a like committed meanwhile is read within the TTL', async () => {
    expect(await likedInDb()).toBe(false);
    await warm(false);
    const generationBefore = await readGeneration();
    const load = startLoad();
    let outcome: Outcome;
    try {
      await sleep(500);
      const stoppedAt = Date.now();
      redis.stop();
      let commitAt: number;
      let returnAt: number;
      try {
        await sleep(1_000);
        const t0 = Date.now();
        const like = await fetch(`${base}/api/logbooks/${logbookId}/like/`, {
          method: 'POST',
          headers: bearer(liker),
          signal: AbortSignal.timeout(20_000),
        });
        const likeMs = Date.now() - t0;
        console.log(`[redis faults] SIGSTOP: like answered ${like.status} in ${likeMs} ms`);
        expect(like.status).toBe(202);
        expect(likeMs).toBeLessThan(LATENCY_BOUND_MS);
        commitAt = await waitCommitted(true);
        console.log(`[redis faults] SIGSTOP: like committed ${commitAt - stoppedAt} ms after the stop`);
        await sleep(Math.max(0, stoppedAt + STOP_MS - Date.now()));
      } finally {
        redis.cont();
        returnAt = Date.now();
      }
      await sleep(TTL_S * 1000 + STALE_MARGIN_MS + 500);
      outcome = analyse('SIGSTOP', await load.stop(), true, commitAt, stoppedAt + 1_000, returnAt);
      // Why the window is 0 here: the consumer's INCR went into the stopped process's socket buffer
      // before its breaker opened, and ran on SIGCONT, ahead of any read of the returned Redis.
      console.log(`[redis faults] SIGSTOP: generation before the stop ${generationBefore}, after SIGCONT ${await readGeneration()}`);
    } finally {
      await load.stop();
    }
    expectHealthy(outcome);
  });

  it('down (SIGKILL, restarted empty on the same port 4 s later): every GET 200 within the bound, an unlike committed meanwhile is read within the TTL', async () => {
    expect(await likedInDb()).toBe(true);
    await warm(true);
    const load = startLoad();
    let outcome: Outcome;
    try {
      await sleep(500);
      const killedAt = Date.now();
      await redis.kill();
      let commitAt: number;
      let returnAt: number;
      try {
        await sleep(500);
        const t0 = Date.now();
        const unlike = await fetch(`${base}/api/logbooks/${logbookId}/like/`, {
          method: 'DELETE',
          headers: bearer(liker),
          signal: AbortSignal.timeout(20_000),
        });
        const unlikeMs = Date.now() - t0;
        console.log(`[redis faults] SIGKILL: unlike answered ${unlike.status} in ${unlikeMs} ms`);
        expect(unlike.status).toBe(202);
        expect(unlikeMs).toBeLessThan(LATENCY_BOUND_MS);
        commitAt = await waitCommitted(false);
        console.log(`[redis faults] SIGKILL: unlike committed ${commitAt - killedAt} ms after the kill`);
        await sleep(Math.max(0, killedAt + DOWN_MS - Date.now()));
      } finally {
        await redis.start();
        returnAt = Date.now();
      }
      await sleep(TTL_S * 1000 + STALE_MARGIN_MS + 500);
      outcome = analyse('SIGKILL + restart', await load.stop(), false, commitAt, killedAt + 1_000, returnAt);
      console.log(
        `[redis faults] SIGKILL: generation after the restart ${await readGeneration()} (Redis came back empty, so nothing stale was left)`,
      );
    } finally {
      await load.stop();
    }
    expectHealthy(outcome);
  });

  it('unreachable with its data kept (connections refused for 1.5 s): every GET 200 within the bound, the stale entries the lost bump leaves end within the TTL', async () => {
    // Through a relay in front of this file's redis-server: refusing connections is Redis gone for the
    // clients, while its keys survive as after a partition or a restart with persistence. The consumer
    // goes through it too, so that the like's generation bump is really lost, not merely delayed.
    const proxy = await startFaultProxy(redis.port);
    const env = {
      REDIS_URL: `redis://127.0.0.1:${proxy.port}/0`,
      CACHE_TTL_SECONDS: String(PARTITION_TTL_S),
      REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
    };
    await consumer.close();
    consumer = await startConsumer({ ...consumerEnv, ...env });
    const partitioned = await startApi(env);
    const url = (await partitioned.app.getUrl()).replace('[::1]', '127.0.0.1');
    let outcome: Outcome;
    try {
      const liked = await likedInDb();
      await warm(liked, url);
      const load = startLoad(url);
      try {
        await sleep(500);
        // A fresh generation just before the fault: every view is stored anew with a full TTL ahead.
        await api.http().patch(`/api/logbooks/${otherLogbookId}/`).set(bearer(owner)).send({ dive_title: 'fresh generation' }).expect(200);
        await sleep(300);
        const downAt = Date.now();
        proxy.down();
        let commitAt: number;
        let returnAt: number;
        try {
          const res = await fetch(`${url}/api/logbooks/${logbookId}/like/`, {
            method: liked ? 'DELETE' : 'POST',
            headers: bearer(liker),
            signal: AbortSignal.timeout(20_000),
          });
          expect(res.status).toBe(202);
          commitAt = await waitCommitted(!liked);
          console.log(`[redis faults] partition: ${liked ? 'unlike' : 'like'} committed ${commitAt - downAt} ms after the fault began`);
          await sleep(Math.max(0, downAt + PARTITION_MS - Date.now()));
        } finally {
          proxy.up();
          returnAt = Date.now();
        }
        await sleep(PARTITION_TTL_S * 1000 + STALE_MARGIN_MS + 500);
        outcome = analyse('partition (data kept)', await load.stop(), !liked, commitAt, downAt + 1_000, returnAt, PARTITION_TTL_S);
      } finally {
        await load.stop();
      }
    } finally {
      proxy.up();
      await partitioned.close();
      await consumer.close();
      consumer = await startConsumer(consumerEnv);
      await proxy.close();
    }
    expectHealthy(outcome, PARTITION_TTL_S);
  });

  it('after Redis comes back empty, a like or unlike committed (and its generation bumped) after its return is read at once, never an older body from process memory', async () => {
    // A longer TTL than the load tests, as in production (60 s): the API's in-memory copies of view
    // bodies live that long under their generation keys.
    const longTtl = await startApi({ REDIS_URL: redis.url, CACHE_TTL_SECONDS: '30', REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS) });
    const longBase = (await longTtl.app.getUrl()).replace('[::1]', '127.0.0.1');
    const client = createClient({ url: redis.url });
    client.on('error', () => undefined);
    await client.connect();
    const keys = new CacheKeys(validateEnv(CacheEnv).CACHE_NAMESPACE);
    const generation = async () => Number((await client.get(keys.viewsGeneration('logbooks'))) ?? 0);
    // Like batches bump the likes family (naming the logbooks they changed), logbook writes the logbooks one.
    const likesGeneration = async () => Number((await client.get(keys.viewsGeneration('likes'))) ?? 0);
    const patchOther = (i: number) =>
      longTtl
        .http()
        .patch(`/api/logbooks/${otherLogbookId}/`)
        .set(bearer(owner))
        .send({ dive_title: `bump ${i}` })
        .expect(200);
    const detail = async () => {
      const res = await fetch(`${longBase}/api/logbooks/${logbookId}/`, { headers: bearer(owner) });
      const body = await res.json();
      return { cache: res.headers.get('x-cache'), liked: (body.likes as number[]).includes(liker.id), likes: body.likes };
    };
    const liked = await likedInDb();
    try {
      // A few generations in, so that the API holds bodies under numbers a restart must not hand out again.
      for (let i = 0; (await generation()) < 3; i++) await patchOther(i);
      const before = await generation();
      const warmed = await waitFor('detail cached', async () => {
        const d = await detail();
        return d.cache === 'HIT' ? d : undefined;
      });
      expect(warmed.liked).toBe(liked);

      await client.disconnect();
      await redis.kill();
      await redis.start();
      await client.connect();
      // The API uses Redis again (its client reconnected, the breaker closed): views carry X-Cache.
      await waitFor('API back on Redis', async () => ((await detail()).cache ? true : undefined), 15_000);
      // Redis lost the generation: it starts again above every number used before, never from 0,
      // or the API's in-memory bodies of those numbers would be served again.
      const reseeded = await generation();
      expect(reseeded).toBeGreaterThan(before);

      const likesBefore = await likesGeneration();
      const toggle = await longTtl.http()[liked ? 'delete' : 'post'](`/api/logbooks/${logbookId}/like/`).set(bearer(liker));
      expect(toggle.status).toBe(202);
      await waitCommitted(!liked);
      await waitFor('consumer bumped the generation', async () => ((await likesGeneration()) > likesBefore ? true : undefined), 10_000);
      const at = await likesGeneration();
      const read = await detail();
      console.log(
        `[redis faults] empty restart: generation before it ${before}, reseeded ${reseeded}, after the ${liked ? 'unlike' : 'like'} ${at}; ` +
          `detail now: X-Cache ${read.cache}, likes ${JSON.stringify(read.likes)} (liker ${liker.id} ${read.liked === !liked ? 'as committed' : 'NOT as committed: a body from before the restart was served'})`,
      );
      expect(read.liked, 'a like/unlike committed after Redis returned, its generation bumped, must be read at once').toBe(!liked);
    } finally {
      if (client.isOpen) await client.disconnect().catch(() => undefined);
      await longTtl.close();
      expect(await pingRedis(redis.port)).toBe(true);
    }
  });
});
