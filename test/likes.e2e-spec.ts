import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Socket, connect } from 'node:net';
import pg from 'pg';
import { createClient } from '@redis/client';
import { validateEnv } from '@app/config';
import { CacheEnv } from '@app/cache';
import { JwtAuthGuard } from '../apps/api/src/auth/jwt-auth.guard.js';
import { LikesService } from '../apps/api/src/logbook/likes.service.js';
import { CommandPublisher, type LikeCommand } from '@app/messaging';
import { createConsumer } from '../apps/consumer/src/consumer.factory.js';
import { bearer, type Diver, signupAndSignin, startApi, type TestApi } from './support/api.js';
import { createLogbook } from './support/fixtures.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { waitFor } from './support/likes-model.js';

/**
 * Requests written to connections opened beforehand, all in one go, so that the API (in this process)
 * reads them in one poll of its sockets, as it does under load; each answer's status and JSON body.
 */
async function writtenTogether(url: string, requests: string[]): Promise<Array<{ status: number; body: unknown }>> {
  const { hostname, port, host } = new URL(url);
  const sockets = await Promise.all(
    requests.map(
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect(Number(port), hostname, () => resolve(socket));
          socket.on('error', reject);
        }),
    ),
  );
  const answers = sockets.map(
    (socket) =>
      new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('end', () => resolve(text));
      }),
  );
  // A connection the client sees as open may not be accepted by the server yet: give it a moment, so
  // that every request arrives on a connection the API is already reading.
  await new Promise((resolve) => setTimeout(resolve, 50));
  sockets.forEach((socket, i) => socket.write(requests[i].replace('{host}', host)));
  return (await Promise.all(answers)).map((text) => ({
    status: Number(text.slice(9, 12)),
    body: JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)),
  }));
}

const headerNames = (res: { headers: Record<string, unknown> }) =>
  Object.keys(res.headers)
    .filter((h) => !['date', 'x-request-id'].includes(h))
    .toSorted();

describe('likes: publish → batch → commit → generation bump (e2e)', () => {
  let api: TestApi;
  let consumer: NestFastifyApplication;
  let author: Diver;
  let fan: Diver;

  beforeAll(async () => {
    api = await startApi();
    consumer = await createConsumer();
    author = await signupAndSignin(api, 'author');
    fan = await signupAndSignin(api, 'fan');
  });
  afterAll(async () => {
    await consumer?.close();
    await api?.close();
  });

  const likesOf = async (logbookId: number): Promise<string[] | undefined> => {
    const res = await api.http().get('/api/logbooks/likes/').expect(200);
    return (res.body as Array<{ id: number; likes: string[] }>).find((l) => l.id === logbookId)?.likes;
  };

  it("serves the original client's flow: like, see it everywhere once committed, unlike", async () => {
    const id = await createLogbook(api, author.access);
    await api.http().post(`/api/logbooks/${id}/like/`).set(bearer(fan)).expect(202, { liked: true, likes_count: 1 });
    // Idempotent: a second like is the same like.
    await api.http().post(`/api/logbooks/${id}/like/`).set(bearer(fan)).expect(202, { liked: true, likes_count: 1 });
    await waitFor('the like to commit', async () => ((await likesOf(id))?.includes('fan') ? true : undefined));

    const seenByFan = await api.http().get(`/api/logbooks/${id}/`).set(bearer(fan)).expect(200);
    expect(seenByFan.body).toMatchObject({ likes_count: 1, liked_by_current_user: true, likes: [fan.id] });
    const seenByAuthor = await api.http().get(`/api/logbooks/${id}/`).set(bearer(author)).expect(200);
    expect(seenByAuthor.body).toMatchObject({ likes_count: 1, liked_by_current_user: false });
    await api
      .http()
      .get(`/api/logbooks/${id}/like/`)
      .set(bearer(author))
      .expect(200, { likes: ['fan'], likes_count: 1 });
    const page = await api.http().get('/api/logbooks/?page_size=100').set(bearer(fan)).expect(200);
    expect(page.body.results.find((l: { id: number }) => l.id === id)).toMatchObject({ likes_count: 1, liked_by_current_user: true });

    await api.http().delete(`/api/logbooks/${id}/like/`).set(bearer(fan)).expect(202, { liked: false, likes_count: 0 });
    await waitFor('the unlike to commit', async () => ((await likesOf(id)) === undefined ? true : undefined));
    const after = await api.http().get(`/api/logbooks/${id}/`).set(bearer(fan)).expect(200);
    expect(after.body).toMatchObject({ likes_count: 0, liked_by_current_user: false, likes: [] });

    await api.http().post('/api/logbooks/99999999/like/').set(bearer(fan)).expect(404);
    await api.http().post(`/api/logbooks/${id}/like/`).expect(401);
    await api.http().delete(`/api/logbooks/${id}/like/`).expect(401);
  });

  it('serves a warm likes list without SQL, answers If-None-Match with 304, and is fresh after a like commits', async () => {
    const id = await createLogbook(api, author.access);
    await api.http().get('/api/logbooks/likes/').expect(200);
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    let warm;
    try {
      warm = await api.http().get('/api/logbooks/likes/').set(bearer(fan)).expect(200);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expect(warm.headers['x-cache']).toBe('HIT');
    expect(warm.headers['content-type']).toMatch(/^application\/json/);
    await api.http().get('/api/logbooks/likes/').set('If-None-Match', warm.headers.etag).expect(304, '');

    await api.http().post(`/api/logbooks/${id}/like/`).set(bearer(author)).expect(202);
    // Well inside the 60 s TTL: the commit, not the expiry, makes it fresh.
    const likes = await waitFor('the list to show the like', async () => likesOf(id), 5_000);
    expect(likes).toEqual(['author']);
  });

  it('shows a like in the detail, page and like views of its logbook once applied, while views of other logbooks stay cached', async () => {
    const liked = await createLogbook(api, author.access);
    const untouched = await createLogbook(api, author.access);
    const views = [`/api/logbooks/${liked}/`, '/api/logbooks/?page_size=100', `/api/logbooks/${liked}/like/`];
    const get = (url: string) => api.http().get(url).set(bearer(fan)).expect(200);
    for (const url of [...views, `/api/logbooks/${untouched}/`]) await get(url);
    for (const url of [...views, `/api/logbooks/${untouched}/`]) expect((await get(url)).headers['x-cache']).toBe('HIT');

    await api.http().post(`/api/logbooks/${liked}/like/`).set(bearer(fan)).expect(202);
    await waitFor('the like to commit', async () => ((await likesOf(liked))?.includes('fan') ? true : undefined));
    // Applied, so the views that show it are rebuilt on their next read; the other logbook's detail is still the cached body.
    const detail = await get(`/api/logbooks/${liked}/`);
    expect(detail.headers['x-cache']).toBe('MISS');
    expect(detail.body).toMatchObject({ likes_count: 1, liked_by_current_user: true, likes: [fan.id] });
    const page = await get('/api/logbooks/?page_size=100');
    expect(page.headers['x-cache']).toBe('MISS');
    expect(page.body.results.find((l: { id: number }) => l.id === liked)).toMatchObject({ likes_count: 1, liked_by_current_user: true });
    expect((await get(`/api/logbooks/${liked}/like/`)).body).toEqual({ likes: ['fan'], likes_count: 1 });
    expect((await get(`/api/logbooks/${untouched}/`)).headers['x-cache']).toBe('HIT');
    // The page with the like, now cached again, stays cached until a like changes one of its logbooks.
    expect((await get('/api/logbooks/?page_size=100')).headers['x-cache']).toBe('HIT');
  });

  it("never serves one user's per-user fields to another, cached or not", async () => {
    const id = await createLogbook(api, author.access);
    await api.http().post(`/api/logbooks/${id}/like/`).set(bearer(fan)).expect(202);
    await waitFor('the like to commit', async () => ((await likesOf(id))?.includes('fan') ? true : undefined));
    const routes = [`/api/logbooks/${id}/`, '/api/logbooks/?page_size=100', `/api/logbooks/${author.id}/friend_logbooks/`];
    const likedIn = (body: unknown) => {
      const list = Array.isArray(body) ? body : ((body as { results?: unknown[] }).results ?? [body]);
      return (list as Array<{ id: number; liked_by_current_user: boolean }>).find((l) => l.id === id)!.liked_by_current_user;
    };
    for (const url of routes) {
      for (let round = 0; round < 2; round++) {
        const asFan = await api.http().get(url).set(bearer(fan)).expect(200);
        const asAuthor = await api.http().get(url).set(bearer(author)).expect(200);
        const anonymous = await api.http().get(url).expect(200);
        expect([likedIn(asFan.body), likedIn(asAuthor.body), likedIn(anonymous.body)]).toEqual([true, false, false]);
        if (round === 1) expect(asAuthor.headers['x-cache']).toBe('HIT');
      }
    }
  });

  it('answers warm hits ahead of Nest, but only to callers its guard would let through', async () => {
    await api.http().get('/api/logbooks/my_logbooks/').set(bearer(author)).expect(200);
    await api.http().get('/api/logbooks/likes/').set(bearer(fan)).expect(200);
    const guard = vi.spyOn(JwtAuthGuard.prototype, 'canActivate');
    try {
      const mine = await api.http().get('/api/logbooks/my_logbooks/').set(bearer(author)).expect(200);
      expect(mine.headers['x-cache']).toBe('HIT');
      await api.http().get('/api/logbooks/likes/').set(bearer(fan)).expect(200);
      expect(guard).not.toHaveBeenCalled(); // served by the fast path, not Nest's pipeline
    } finally {
      guard.mockRestore();
    }
    // What the fast path cannot vouch for goes on to Nest, which refuses it as before.
    const forged = `${author.access.slice(0, -4)}AAAA`;
    await api.http().get('/api/logbooks/my_logbooks/').expect(401);
    await api.http().get('/api/logbooks/my_logbooks/').set('Authorization', `Bearer ${forged}`).expect(401);
    await api.http().get('/api/logbooks/my_logbooks/').set('Authorization', `Bearer ${author.refresh}`).expect(401);
    await api.http().get('/api/logbooks/likes/').set('Authorization', `Bearer ${forged}`).expect(401);
    const fans = await api.http().get('/api/logbooks/my_logbooks/').set(bearer(fan)).expect(200);
    expect(fans.body).toEqual([]);
  });

  it('answers likes of a logbook it knows ahead of Nest, with the answer and headers Nest gives', async () => {
    const id = await createLogbook(api, author.access);
    const url = `/api/logbooks/${id}/like/`;
    // LikesController's path, which the hook's does not take.
    const slow = vi.spyOn(LikesService.prototype, 'set');
    try {
      // Not seen by this process yet: Nest answers, and LikeStateCache now holds the logbook for the fan.
      const first = await api.http().post(url).set(bearer(fan)).expect(202, { liked: true, likes_count: 1 });
      expect(slow).toHaveBeenCalledTimes(1);
      const again = await api.http().post(url).set(bearer(fan)).send({}).expect(202, { liked: true, likes_count: 1 });
      const off = await api.http().delete(url).set(bearer(fan)).expect(202, { liked: false, likes_count: 0 });
      await api.http().post(url.slice(0, -1)).set(bearer(fan)).expect(202, { liked: true, likes_count: 1 });
      expect(slow).toHaveBeenCalledTimes(1);
      expect([headerNames(again), headerNames(off)]).toEqual([headerNames(first), headerNames(first)]);
      expect(again.headers['content-type']).toBe(first.headers['content-type']);

      // What the hook cannot vouch for goes on to Nest, which answers as before.
      await api.http().post(url).expect(401);
      await api.http().post(url).set('Authorization', `Bearer ${fan.refresh}`).expect(401);
      await api.http().post(`${url}?x=1`).set(bearer(fan)).expect(202);
      await api.http().post(url).set(bearer(fan)).set('Content-Type', 'text/plain').send('x').expect(202);
      // Its count is read from Postgres, where the fan's like may not be committed yet.
      expect((await api.http().post(url).set(bearer(author)).expect(202)).body).toMatchObject({ liked: true });
      // The first like, the query string, the text body and the author's first like went through Nest.
      expect(slow).toHaveBeenCalledTimes(4);
      await waitFor('both likes to commit', async () => ((await likesOf(id))?.length === 2 ? true : undefined));
    } finally {
      slow.mockRestore();
    }
  });

  it('gathers the likes of one event-loop turn into one confirmed message, and answers each of them', async () => {
    const id = await createLogbook(api, author.access);
    const url = `/api/logbooks/${id}/like/`;
    const divers = await Promise.all(Array.from({ length: 12 }, (_, i) => signupAndSignin(api, `gather${i}`)));
    // One like each first, so that this process holds each diver's state and the burst below is the hook's.
    for (const d of divers) await api.http().post(url).set(bearer(d)).expect(202);
    const publish = vi.spyOn(CommandPublisher.prototype, 'publish');
    const nest = vi.spyOn(LikesService.prototype, 'set');
    try {
      const answers = await writtenTogether(
        api.url,
        divers.map((d) => `DELETE ${url} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer ${d.access}\r\nConnection: close\r\n\r\n`),
      );
      expect(answers.map((a) => a.status)).toEqual(divers.map(() => 202));
      expect(answers.every((a) => (a.body as { liked: boolean }).liked === false)).toBe(true);
      const messages = publish.mock.calls.filter(([kind]) => kind === 'like').map(([, list]) => list as LikeCommand[]);
      // Every unlike was published once, and fewer messages than unlikes carried them.
      expect(messages.flat().map((c) => [c.userId, c.liked])).toEqual(expect.arrayContaining(divers.map((d) => [d.id, false])));
      expect(messages.flat()).toHaveLength(divers.length);
      expect(messages.length).toBeLessThan(divers.length);
      expect(nest).not.toHaveBeenCalled();
    } finally {
      publish.mockRestore();
      nest.mockRestore();
    }
    // Applied by the consumer like any other: nobody likes it in the end.
    await waitFor('the unlikes to commit', async () => ((await likesOf(id)) === undefined ? true : undefined));
  });

  it('answers a like ahead of Nest with the 503 + Retry-After Nest gives when the broker does not confirm', async () => {
    const id = await createLogbook(api, author.access);
    const url = `/api/logbooks/${id}/like/`;
    const broker = await startFaultProxy(5672);
    const viaProxy = await startApi({ RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${broker.port}`, PUBLISH_CONFIRM_TIMEOUT_MS: '300' });
    const slow = vi.spyOn(LikesService.prototype, 'set');
    try {
      // Until the new app trusts its generation subscription, its guard asks Redis: Nest answers those.
      await waitFor('a like answered by the hook', async () => {
        const before = slow.mock.calls.length;
        await viaProxy.http().post(url).set(bearer(fan)).expect(202);
        return slow.mock.calls.length === before ? true : undefined;
      });
      broker.down();
      const nest = slow.mock.calls.length;
      const refused = await viaProxy.http().post(url).set(bearer(fan)).expect(503);
      expect([refused.body, refused.headers['retry-after']]).toEqual([
        { detail: 'The command could not be queued; try again shortly.' },
        '2',
      ]);
      // Likes gathered into one refused message are each answered so.
      const together = await Promise.all([1, 2, 3].map(() => viaProxy.http().post(url).set(bearer(fan))));
      expect(together.map((r) => [r.status, r.headers['retry-after']])).toEqual([1, 2, 3].map(() => [503, '2']));
      expect(slow).toHaveBeenCalledTimes(nest); // the refused likes were the hook's
    } finally {
      slow.mockRestore();
      broker.up();
      await viaProxy.close();
      await broker.close();
    }
  });

  it('builds the likes list in one SQL statement on a miss, and every Redis key written has a TTL', async () => {
    // author signed up before fan: with both liking, the list must name author first.
    const both = await createLogbook(api, author.access);
    await api.http().post(`/api/logbooks/${both}/like/`).set(bearer(fan)).expect(202);
    await api.http().post(`/api/logbooks/${both}/like/`).set(bearer(author)).expect(202);
    await waitFor('both likes to commit', async () => ((await likesOf(both))?.length === 2 ? true : undefined));
    // The consumer runs in this process and fills in the likers text after a batch (a statement of
    // its own): let it finish first, so that the spy counts the API's statements alone.
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    await waitFor('the likers text filled in', async () => {
      const { rows } = await db.query('SELECT count(*)::int AS n FROM logbooks WHERE likers_json IS NULL');
      return rows[0].n === 0 ? true : undefined;
    }).finally(() => db.end());
    await new Promise((r) => setTimeout(r, 500));
    const uncached = await startApi({ CACHE_RESPONSES: 'false' });
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    try {
      for (let i = 0; i < 2; i++) {
        spy.mockClear();
        const res = await uncached.http().get('/api/logbooks/likes/').expect(200);
        expect(res.headers['x-cache']).toBeUndefined();
        expect(spy).toHaveBeenCalledTimes(1);
        // Logbooks by id, and each one's likers by user id (the order of the original's queryset).
        const list = res.body as Array<{ id: number; likes: string[] }>;
        expect(list.length).toBeGreaterThan(0);
        expect(list.map((l) => l.id)).toEqual(list.map((l) => l.id).toSorted((a, b) => a - b));
        expect(list.find((l) => l.id === both)?.likes).toEqual(['author', 'fan']);
      }
    } finally {
      spy.mockRestore();
      await uncached.close();
    }

    const env = validateEnv(CacheEnv);
    const redis = createClient({ url: env.REDIS_URL });
    await redis.connect();
    try {
      const ttls: number[] = [];
      for await (const key of redis.scanIterator({ MATCH: `${env.CACHE_NAMESPACE}:*`, COUNT: 500 })) ttls.push(await redis.ttl(key));
      expect(ttls.length).toBeGreaterThan(3);
      // -1 is a key that never expires; -2 a key that expired between SCAN and TTL, which is fine.
      expect(ttls.filter((t) => t === -1)).toEqual([]);
    } finally {
      await redis.quit();
    }
  });

  it('serves the likes list from the texts the consumer keeps: the bytes aggregating every like row gives, known or not, after likes, unlikes, a rename and a deleted liker', async () => {
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const uncached = await startApi({ CACHE_RESPONSES: 'false' });
    const likersText = async (id: number) => (await db.query('SELECT likers_json FROM logbooks WHERE id = $1', [id])).rows[0].likers_json;
    const storedList = async (): Promise<string | null> => (await db.query('SELECT doc FROM likes_list_document')).rows[0].doc;
    // Every logbook the list shows (likes_count > 0; other suites insert some with a count and no
    // rows), each with its like rows aggregated.
    const aggregated = async () =>
      (
        await db.query(`
          SELECT coalesce(json_agg(json_build_object('id', t.id, 'likes', t.likes) ORDER BY t.id), '[]')::text AS doc
            FROM (SELECT l.id, coalesce((SELECT json_agg(u.username ORDER BY k.user_id) FROM likes k JOIN users u ON u.id = k.user_id
                                          WHERE k.logbook_id = l.id AND k.liked), '[]'::json) AS likes
                    FROM logbooks l WHERE l.likes_count > 0) t`)
      ).rows[0].doc;
    const served = async () => (await uncached.http().get('/api/logbooks/likes/').expect(200)).text;
    try {
      // One after the other: the list orders likers by user id.
      const a = await signupAndSignin(api, 'liker_a');
      const b = await signupAndSignin(api, 'liker_b');
      const gone = await signupAndSignin(api, 'liker_gone');
      const first = await createLogbook(api, author.access);
      const second = await createLogbook(api, author.access);
      for (const diver of [b, a, gone]) {
        for (const id of [first, second]) await api.http().post(`/api/logbooks/${id}/like/`).set(bearer(diver)).expect(202);
      }
      await api.http().delete(`/api/logbooks/${second}/like/`).set(bearer(a)).expect(202);
      await waitFor('the likes to commit', async () => ((await likesOf(second))?.length === 2 ? true : undefined));
      const known = await waitFor('the consumer to fill the likers in', async () => (await likersText(second)) ?? undefined);
      expect(known).toBe('["liker_b", "liker_gone"]');
      expect(await served()).toBe(await aggregated());
      // Then the whole list's text, which a read serves as it is.
      const document = await waitFor('the consumer to build the list text', async () => (await storedList()) ?? undefined);
      expect(await served()).toBe(document);

      // A rename and a deleted liker make the text unknown at once (the triggers); reads aggregate it meanwhile.
      await api.http().patch(`/api/mypage/edit_profile/${b.id}/`).set(bearer(b)).send({ username: 'liker_"b"\\' }).expect(200);
      expect(await likersText(first)).toBeNull();
      expect(await storedList()).toBeNull();
      await db.query('DELETE FROM users WHERE id = $1', [gone.id]);
      expect(await served()).toBe(await aggregated());
      const list = JSON.parse(await served()) as Array<{ id: number; likes: string[] }>;
      expect(list.find((l) => l.id === first)?.likes).toEqual(['liker_a', 'liker_"b"\\']);
      expect(list.find((l) => l.id === second)?.likes).toEqual(['liker_"b"\\']);
      await uncached
        .http()
        .get(`/api/logbooks/${second}/like/`)
        .set(bearer(author))
        .expect(200, { likes: ['liker_"b"\\'], likes_count: 1 });

      // The next like batch has the consumer fill them in again, with the new name.
      await api.http().post(`/api/logbooks/${first}/like/`).set(bearer(author)).expect(202);
      await waitFor('the consumer to fill the likers in again', async () => (await likersText(second)) ?? undefined);
      expect(await likersText(second)).toBe('["liker_\\"b\\"\\\\"]');
      await waitFor('the like to commit', async () => ((await likesOf(first))?.length === 3 ? true : undefined));
      expect(await served()).toBe(await aggregated());
      expect(await waitFor('the list text rebuilt', async () => (await storedList()) ?? undefined)).toBe(await aggregated());
    } finally {
      await uncached.close();
      await db.end();
    }
  });

  it('computes a cold view once for concurrent requests of the same key', async () => {
    await createLogbook(api, author.access); // bumps the generation: every view is cold
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => api.http().get('/api/logbooks/likes/')));
      expect(answers.every((a) => a.status === 200 && a.text === answers[0].text)).toBe(true);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});
