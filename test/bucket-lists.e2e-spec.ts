import pg from 'pg';
import { type Diver, signupAndSignin, startApi, type TestApi } from './support/api.js';
import { EmailAudit } from './support/email-audit.js';
import { connectDb } from './support/likes-model.js';

/** Bucket lists and skills are the same kind of list: a diver's own short texts. */
const LISTS = [
  { path: '/api/mypage/bucketlists/', field: 'title', max: 100 },
  { path: '/api/mypage/myskills/', field: 'skill', max: 200 },
] as const;

describe.each(LISTS)('$path: CRUD scoped to the caller (e2e)', ({ path, field, max }) => {
  let api: TestApi;
  let db: pg.Client;
  let audit: EmailAudit;
  let ann: Diver;
  let ben: Diver;

  beforeAll(async () => {
    api = await startApi();
    db = await connectDb();
    audit = new EmailAudit(api);
    ann = await signupAndSignin(api, 'ann');
    ben = await signupAndSignin(api, 'ben');
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  const create = async (d: Diver, text: string) =>
    (
      await audit
        .as(d)
        .post(path)
        .send({ [field]: text })
        .expect(201)
    ).body;

  it('creates by JSON or multipart, reads, replaces, patches and deletes your own entries', async () => {
    const made = await create(ann, 'first');
    expect(Object.keys(made)).toEqual(['id', field, 'created_at', 'user']);
    expect(made).toMatchObject({ [field]: 'first', user: ann.id });
    expect(made.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);

    // The client sends a form with its own id as `user`: accepted, and the server sets it anyway.
    const form = await audit.as(ann).post(path).field(field, 'from a form').field('user', String(ann.id)).expect(201);
    expect(form.body).toMatchObject({ [field]: 'from a form', user: ann.id });

    await audit.as(ann).get(`${path}${made.id}/`).expect(200, made);
    const replaced = await audit
      .as(ann)
      .put(`${path}${made.id}/`)
      .send({ [field]: 'replaced', user: ann.id })
      .expect(200);
    expect(replaced.body).toEqual({ ...made, [field]: 'replaced' });
    const patched = await audit.as(ann).patch(`${path}${made.id}/`).field(field, 'patched').expect(200);
    expect(patched.body).toEqual({ ...made, [field]: 'patched' });
    await audit
      .as(ann)
      .patch(`${path}${made.id}/`)
      .send({})
      .expect(200, { ...made, [field]: 'patched' });

    await audit.as(ann).delete(`${path}${made.id}/`).expect(204, '');
    await audit.as(ann).get(`${path}${made.id}/`).expect(404);
    await audit.as(ann).delete(`${path}${made.id}/`).expect(404);
  });

  it("paginates as the original: {count, next, previous, results}, 10 a page, ?page and ?page_size, only the caller's", async () => {
    const cat = await signupAndSignin(api, 'cat');
    for (let i = 1; i <= 12; i++) await create(cat, `item ${i}`);
    await create(ben, 'not cat');

    const first = await audit.as(cat).get(path).expect(200);
    expect(Object.keys(first.body)).toEqual(['count', 'next', 'previous', 'results']);
    expect(first.body.count).toBe(12);
    expect(first.body.results.map((r: Record<string, string>) => r[field])).toEqual(Array.from({ length: 10 }, (_, i) => `item ${i + 1}`));
    expect(first.body.previous).toBeNull();
    expect(first.body.next).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+${path}\\?page=2$`));

    const second = await audit
      .as(cat)
      .get(new URL(first.body.next).pathname + new URL(first.body.next).search)
      .expect(200);
    expect(second.body.results).toHaveLength(2);
    expect(second.body.next).toBeNull();
    expect(second.body.previous).toMatch(new RegExp(`${path}$`));

    const small = await audit.as(cat).get(`${path}?page_size=5&page=3`).expect(200);
    expect(small.body.results.map((r: Record<string, string>) => r[field])).toEqual(['item 11', 'item 12']);
    await audit.as(cat).get(`${path}?page=3`).expect(404, { detail: 'Invalid page.' });
    await audit.as(cat).get(`${path}?page=abc`).expect(404);
  });

  it('validates every write: blank, too long, missing, unknown or server-set fields, another diver as `user`', async () => {
    const made = await create(ann, 'keep me');
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ [field]: '' }, field],
      [{ [field]: '   ' }, field],
      [{ [field]: 'x'.repeat(max + 1) }, field],
      [{ [field]: 42 }, field],
      [{ [field]: null }, field],
      [{}, field],
      [{ [field]: 'ok', id: 7 }, 'id'],
      [{ [field]: 'ok', created_at: '2020-01-01T00:00:00Z' }, 'created_at'],
      [{ [field]: 'ok', colour: 'blue' }, 'colour'],
      [{ [field]: 'ok', user: ben.id }, 'user'],
      [{ [field]: 'ok', user: 'me' }, 'user'],
    ];
    for (const [body, named] of bad) {
      const res = await audit.as(ann).post(path).send(body).expect(400);
      expect(Object.keys(res.body)).toContain(named);
      if (Object.keys(body).length) {
        const put = await audit.as(ann).put(`${path}${made.id}/`).send(body).expect(400);
        expect(Object.keys(put.body)).toContain(named);
      }
    }
    const patch = await audit.as(ann).patch(`${path}${made.id}/`).send({ user: ben.id }).expect(400);
    expect(Object.keys(patch.body)).toEqual(['user']);
    const form = await audit.as(ann).post(path).field(field, 'ok').field('user', String(ben.id)).expect(400);
    expect(Object.keys(form.body)).toEqual(['user']);
    expect(
      (
        await audit
          .as(ann)
          .post(path)
          .send({ [field]: 'x'.repeat(max) })
          .expect(201)
      ).body[field],
    ).toHaveLength(max);
    await audit.as(ann).get(`${path}${made.id}/`).expect(200, made);
  });

  it("refuses anonymous callers (401) and every attempt on another diver's entry (404, 0 successes)", async () => {
    const mine = await create(ann, 'private');
    const attempts = [
      audit.as(ben).get(`${path}${mine.id}/`),
      audit
        .as(ben)
        .put(`${path}${mine.id}/`)
        .send({ [field]: 'stolen' }),
      audit
        .as(ben)
        .patch(`${path}${mine.id}/`)
        .send({ [field]: 'stolen' }),
      audit.as(ben).delete(`${path}${mine.id}/`),
    ];
    const statuses = (await Promise.all(attempts)).map((res) => res.status);
    expect(statuses).toEqual([404, 404, 404, 404]);
    const listed = await audit.as(ben).get(`${path}?page_size=100`).expect(200);
    expect(listed.body.results.map((r: { id: number }) => r.id)).not.toContain(mine.id);
    await audit.as(ann).get(`${path}${mine.id}/`).expect(200, mine);

    for (const res of await Promise.all([
      audit.as().get(path),
      audit
        .as()
        .post(path)
        .send({ [field]: 'x' }),
      audit.as().get(`${path}${mine.id}/`),
      audit
        .as()
        .put(`${path}${mine.id}/`)
        .send({ [field]: 'x' }),
      audit.as().delete(`${path}${mine.id}/`),
    ])) {
      expect(res.status).toBe(401);
    }
    for (const id of ['99999999', 'abc', '0']) await audit.as(ann).get(`${path}${id}/`).expect(404);
  });

  it('let no response carry an email other than the caller’s own', () => {
    expect(audit.responses).toBeGreaterThan(40);
    expect(audit.leaks).toEqual([]);
  });
});

describe("myskills/friends/{userId}/: any diver's skills, public (e2e)", () => {
  let api: TestApi;
  let db: pg.Client;
  let audit: EmailAudit;

  beforeAll(async () => {
    api = await startApi();
    db = await connectDb();
    audit = new EmailAudit(api);
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('answers a bare array, newest first, bounded to the newest 100; 404 for an unknown diver', async () => {
    const ann = await signupAndSignin(api, 'ann');
    await audit.as(ann).post('/api/mypage/myskills/').send({ skill: 'Nitrox' }).expect(201);
    await audit.as(ann).post('/api/mypage/myskills/').send({ skill: 'Sidemount' }).expect(201);
    const two = await audit.as().get(`/api/mypage/myskills/friends/${ann.id}/`).expect(200);
    expect(two.body.map((s: { skill: string }) => s.skill)).toEqual(['Sidemount', 'Nitrox']);
    expect(Object.keys(two.body[0])).toEqual(['id', 'skill', 'created_at', 'user']);

    await db.query(`INSERT INTO skill_sets (user_id, skill) SELECT $1, 'bulk ' || g FROM generate_series(1, 120) g`, [ann.id]);
    const capped = await audit.as().get(`/api/mypage/myskills/friends/${ann.id}/`).expect(200);
    expect(capped.body).toHaveLength(100);

    const ben = await signupAndSignin(api, 'ben');
    await audit.as(ben).get(`/api/mypage/myskills/friends/${ben.id}/`).expect(200, []);
    for (const id of ['99999999', 'abc']) await audit.as(ben).get(`/api/mypage/myskills/friends/${id}/`).expect(404);
    expect(audit.leaks).toEqual([]);
  });
});
