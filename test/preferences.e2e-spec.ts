import pg from 'pg';
import { type Diver, signupAndSignin, startApi, type TestApi } from './support/api.js';
import { EmailAudit } from './support/email-audit.js';

const ANSWERS = {
  birthday: '1990-05-01',
  residence: 'Seoul, Korea',
  budget_min: '100',
  budget_max: '500',
  gender: '',
  preferred_depth_range: '18–30m',
  hobbies: 'hiking, photography',
  preferred_activities: 'macro photo',
  preferred_atmosphere: 'quiet',
  last_dive_date: '2024-10-01',
  preferred_diving: 'boat',
};
const FIELDS = ['id', ...Object.keys(ANSWERS), 'user'];
const LIMITS: Record<string, number> = {
  birthday: 20,
  residence: 30,
  budget_min: 30,
  budget_max: 30,
  gender: 20,
  preferred_depth_range: 20,
  hobbies: 100,
  preferred_activities: 100,
  preferred_atmosphere: 100,
  last_dive_date: 20,
  preferred_diving: 100,
};
const auth = (d: Diver) => `Bearer ${d.access}`;
const PATH = '/api/settings/preferences/';

describe('preferences (e2e)', () => {
  let raw: TestApi;
  let api: TestApi;
  let db: pg.Client;
  let me: Diver;
  let other: Diver;
  let audit: EmailAudit;
  const as = (d: Diver) => ({
    get: (path = PATH) => api.http().get(path).set('Authorization', auth(d)),
    post: (body: object) => api.http().post(PATH).set('Authorization', auth(d)).send(body),
    put: (id: number, body: object) => api.http().put(`${PATH}${id}/`).set('Authorization', auth(d)).send(body),
    patch: (id: number, body: object) => api.http().patch(`${PATH}${id}/`).set('Authorization', auth(d)).send(body),
    delete: (id: number) => api.http().delete(`${PATH}${id}/`).set('Authorization', auth(d)),
  });

  beforeAll(async () => {
    raw = await startApi();
    audit = new EmailAudit(raw);
    api = audit.watch(() => [me, other]);
    db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    me = await signupAndSignin(raw, 'surveyed');
    other = await signupAndSignin(raw, 'other');
  });
  afterAll(async () => {
    await db?.query('DELETE FROM users WHERE id = ANY($1)', [[me?.id, other?.id]]);
    await db?.end();
    await raw?.close();
  });

  it('starts as an empty paginated list (the client reads it as "no survey yet"), and needs a token', async () => {
    await as(me).get().expect(200, { count: 0, next: null, previous: null, results: [] });
    for (const res of [await api.http().get(PATH), await api.http().post(PATH).send(ANSWERS), await api.http().put(`${PATH}1/`).send({})]) {
      expect(res.status).toBe(401);
    }
  });

  it('stores the survey as the client sends it, one per diver: a second POST is a 400 naming the conflict', async () => {
    const created = await as(me).post(ANSWERS).expect(201);
    expect(Object.keys(created.body)).toEqual(FIELDS);
    expect(created.body).toMatchObject({ ...ANSWERS, user: me.id });
    const list = await as(me).get().expect(200);
    expect(list.body).toMatchObject({ count: 1, next: null, previous: null, results: [created.body] });
    await as(me).get(`${PATH}${created.body.id}/`).expect(200, created.body);

    const again = await as(me).post({ residence: 'Busan' }).expect(400);
    expect(again.body.user).toEqual([expect.stringMatching(/already/)]);
    // Racing POSTs of a new diver: exactly one wins, the rest are 400s, never 500s.
    const racer = await signupAndSignin(raw, 'racer');
    try {
      const results = await Promise.all(Array.from({ length: 8 }, () => as(racer).post({ hobbies: 'racing' })));
      expect(results.map((r) => r.status).toSorted()).toEqual([201, 400, 400, 400, 400, 400, 400, 400]);
    } finally {
      await db.query('DELETE FROM users WHERE id = $1', [racer.id]);
    }
  });

  it('validates like the other writes: lengths as the columns, strings only, no server fields, no unknown fields', async () => {
    const fresh = await signupAndSignin(raw, 'fresh');
    try {
      for (const [field, max] of Object.entries(LIMITS)) {
        const res = await as(fresh).post({ [field]: 'x'.repeat(max + 1) });
        expect({ field, status: res.status, body: res.body }).toMatchObject({ status: 400, body: { [field]: expect.any(Array) } });
      }
      for (const body of [
        { user: fresh.id },
        { user: other.id },
        { id: 5 },
        { created_at: 'now' },
        { shoe_size: '42' },
        { hobbies: 7 },
        { birthday: null },
      ]) {
        const res = await as(fresh).post(body);
        expect({ sent: body, status: res.status, body: res.body }).toMatchObject({
          status: 400,
          body: { [Object.keys(body)[0]]: expect.any(Array) },
        });
      }
      expect((await as(fresh).get()).body.count).toBe(0);
      const maxed = Object.fromEntries(Object.entries(LIMITS).map(([f, max]) => [f, 'y'.repeat(max)]));
      await as(fresh).post(maxed).expect(201);
    } finally {
      await db.query('DELETE FROM users WHERE id = $1', [fresh.id]);
    }
  });

  it("changes and deletes one's own survey only: anyone else's id is a 404, 0 successes", async () => {
    const { id } = (await as(me).get().expect(200)).body.results[0];
    const before = (await as(me).get(`${PATH}${id}/`).expect(200)).body;
    for (const attempt of [
      as(other).get(`${PATH}${id}/`),
      as(other).put(id, { residence: 'Hijacked' }),
      as(other).patch(id, { residence: 'Hijacked' }),
      as(other).patch(id, {}),
      as(other).delete(id),
    ]) {
      const res = await attempt;
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'Not found.' });
    }
    expect((await as(other).get().expect(200)).body.results).toEqual([]);
    await as(me).get(`${PATH}${id}/`).expect(200, before);

    const put = await as(me)
      .put(id, { ...ANSWERS, residence: 'Jeju', gender: null })
      .expect(200);
    expect(put.body).toMatchObject({ id, residence: 'Jeju', gender: null, hobbies: ANSWERS.hobbies, user: me.id });
    const patched = await as(me).patch(id, { hobbies: 'freediving' }).expect(200);
    expect(patched.body).toMatchObject({ residence: 'Jeju', hobbies: 'freediving' });
    await as(me).patch(id, { user: other.id }).expect(400);
    await as(me)
      .patch(id, { residence: 'x'.repeat(31) })
      .expect(400);
    for (const path of ['99999999', '0', 'abc']) await as(me).get(`${PATH}${path}/`).expect(404);
    await as(me).put(99_999_999, {}).expect(404);
    await as(me).delete(99_999_999).expect(404);

    const form = await api.http().patch(`${PATH}${id}/`).set('Authorization', auth(me)).field('budget_max', '900').expect(200);
    expect(form.body.budget_max).toBe('900');

    await as(me).delete(id).expect(204);
    await as(me).get().expect(200, { count: 0, next: null, previous: null, results: [] });
    await as(me).get(`${PATH}${id}/`).expect(404);
    await as(me).post(ANSWERS).expect(201);
  });

  it("removes a diver's survey with the diver", async () => {
    const leaving = await signupAndSignin(raw, 'leaving');
    await as(leaving).post(ANSWERS).expect(201);
    await db.query('DELETE FROM users WHERE id = $1', [leaving.id]);
    expect((await db.query('SELECT count(*)::int AS n FROM preferences WHERE user_id = $1', [leaving.id])).rows[0].n).toBe(0);
  });

  it('never sends anyone an email but their own', () => {
    expect(audit.responses).toBeGreaterThan(30);
    expect(audit.leaks).toEqual([]);
  });
});
