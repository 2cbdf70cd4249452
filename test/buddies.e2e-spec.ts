import pg from 'pg';
import { type Diver, signupAndSignin, startApi, type TestApi } from './support/api.js';
import { EmailAudit } from './support/email-audit.js';
import { connectDb } from './support/likes-model.js';

describe('buddies: friends/list/, friends/detail/{userId}/ (e2e)', () => {
  let api: TestApi;
  let db: pg.Client;
  let audit: EmailAudit;
  let ann: Diver;
  let ben: Diver;
  let cat: Diver;

  beforeAll(async () => {
    api = await startApi();
    db = await connectDb();
    audit = new EmailAudit(api);
    [ann, ben, cat] = [await signupAndSignin(api, 'ann'), await signupAndSignin(api, 'ben'), await signupAndSignin(api, 'cat')];
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  const rowsOf = async (a: number, b: number) =>
    Number(
      (
        await db.query('SELECT count(*) AS n FROM friends WHERE (user_id = $1 AND friend_id = $2) OR (user_id = $2 AND friend_id = $1)', [
          a,
          b,
        ])
      ).rows[0].n,
    );
  const buddiesOf = async (d: Diver) =>
    (await audit.as(d).get('/api/mypage/friends/list/').expect(200)).body as Array<{ id: number; email: string | null }>;

  it('adds a buddy in both directions, lists them as UserDetail without emails, and removes both directions', async () => {
    const added = await audit.as(ann).post(`/api/mypage/friends/detail/${ben.id}/`).expect(201);
    expect(added.body).toEqual({ message: expect.any(String) });
    expect(await rowsOf(ann.id, ben.id)).toBe(2);

    const annList = await buddiesOf(ann);
    expect(annList.map((u) => u.id)).toEqual([ben.id]);
    expect(annList[0]).toMatchObject({ username: 'ben', email: null, friends: [ann.id] });
    expect((await buddiesOf(ben)).map((u) => u.id)).toEqual([ann.id]);
    expect(await buddiesOf(cat)).toEqual([]);

    // Ben is told, once, by whom; Ann, who acted, is not.
    const told = (await audit.as(ben).get('/api/notifications/').expect(200)).body.results;
    expect(told).toEqual([expect.objectContaining({ type: 'friend', link: '/mypage', meta: { actor: 'ann' }, is_read: false })]);
    expect((await audit.as(ann).get('/api/notifications/').expect(200)).body.results).toEqual([]);

    // Already buddies, whichever side asks again.
    for (const [who, whom] of [
      [ann, ben],
      [ben, ann],
    ]) {
      const again = await audit.as(who).post(`/api/mypage/friends/detail/${whom.id}/`).expect(400);
      expect(again.body).toEqual({ error: expect.any(String) });
    }

    await audit.as(ben).delete(`/api/mypage/friends/detail/${ann.id}/`).expect(204, '');
    expect(await rowsOf(ann.id, ben.id)).toBe(0);
    expect(await buddiesOf(ann)).toEqual([]);
    const gone = await audit.as(ann).delete(`/api/mypage/friends/detail/${ben.id}/`).expect(404);
    expect(gone.body.detail).toEqual(expect.any(String));
  });

  it('refuses yourself (400 {error}), unknown divers (404), anonymous callers (401)', async () => {
    expect((await audit.as(ann).post(`/api/mypage/friends/detail/${ann.id}/`).expect(400)).body).toEqual({ error: expect.any(String) });
    expect((await audit.as(ann).delete(`/api/mypage/friends/detail/${ann.id}/`).expect(400)).body).toEqual({ error: expect.any(String) });
    for (const id of ['99999999', 'abc', '0', '1.5']) {
      await audit.as(ann).post(`/api/mypage/friends/detail/${id}/`).expect(404);
      await audit.as(ann).delete(`/api/mypage/friends/detail/${id}/`).expect(404);
    }
    await audit.as().post(`/api/mypage/friends/detail/${ben.id}/`).expect(401);
    await audit.as().delete(`/api/mypage/friends/detail/${ben.id}/`).expect(401);
    await audit.as().get('/api/mypage/friends/list/').expect(401);
    expect(await rowsOf(ann.id, ben.id)).toBe(0);
  });

  it('answers every other method on detail/ with 405 and an Allow header, never 500', async () => {
    for (const caller of [ann, undefined]) {
      for (const method of ['get', 'put', 'patch'] as const) {
        const res = await audit.as(caller)[method](`/api/mypage/friends/detail/${ben.id}/`).expect(405);
        expect(res.headers.allow).toBe('POST, DELETE');
        expect(res.body.detail).toEqual(expect.any(String));
      }
      // OPTIONS too, and HEAD (no body): every method there is, not only those the client might send.
      const headers = caller ? { Authorization: `Bearer ${caller.access}` } : {};
      const options = await api.http().options(`/api/mypage/friends/detail/${ben.id}/`).set(headers).expect(405);
      expect([options.headers.allow, typeof options.body.detail]).toEqual(['POST, DELETE', 'string']);
      const head = await api.http().head(`/api/mypage/friends/detail/${ben.id}/`).set(headers).expect(405);
      expect(head.headers.allow).toBe('POST, DELETE');
    }
  });

  it('lets no one remove a pair they are not in (0 successes)', async () => {
    await audit.as(ann).post(`/api/mypage/friends/detail/${ben.id}/`).expect(201);
    await audit.as(cat).delete(`/api/mypage/friends/detail/${ann.id}/`).expect(404);
    await audit.as(cat).delete(`/api/mypage/friends/detail/${ben.id}/`).expect(404);
    expect(await rowsOf(ann.id, ben.id)).toBe(2);
    await audit.as(ann).delete(`/api/mypage/friends/detail/${ben.id}/`).expect(204);
  });

  it('ends concurrent adds of one pair, from both sides, in one pair: one 201, the rest 400, no 5xx', async () => {
    const dan = await signupAndSignin(api, 'dan');
    const eve = await signupAndSignin(api, 'eve');
    const attempts = Array.from({ length: 24 }, (_, i) => {
      const [who, whom] = i % 2 ? [dan, eve] : [eve, dan];
      return audit.as(who).post(`/api/mypage/friends/detail/${whom.id}/`);
    });
    const statuses = (await Promise.all(attempts)).map((res) => res.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(23);
    expect(await rowsOf(dan.id, eve.id)).toBe(2);
    // Only the add that created the pair told anyone: one friend notification between the two.
    const notices = await Promise.all([dan, eve].map(async (d) => (await audit.as(d).get('/api/notifications/').expect(200)).body.count));
    expect(notices[0] + notices[1]).toBe(1);
    console.log(`buddies: 24 concurrent adds of one pair → ${statuses.filter((s) => s === 201).length} × 201, 2 rows`);
  });

  it('let no response carry an email other than the caller’s own', () => {
    expect(audit.responses).toBeGreaterThan(40);
    expect(audit.leaks).toEqual([]);
  });
});
