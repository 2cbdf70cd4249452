import pg from 'pg';
import { type Diver, signupAndSignin, startApi, type TestApi } from './support/api.js';
import { NOT_AN_IMAGE, PNG, createLogbook, logbookFields } from './support/fixtures.js';

const FIELD_ORDER = [
  'id',
  'liked_by_current_user',
  'likes_count',
  'dive_image_url',
  'dive_image',
  'feeling',
  'buddy',
  'dive_title',
  'dive_site',
  'dive_date',
  'max_depth',
  'bottom_time',
  'weather',
  'type_of_dive',
  'weight',
  'start_pressure',
  'end_pressure',
  'user',
  'dive_center',
  'equipment',
  'likes',
  'latitude',
  'longitude',
];

const auth = (d: Diver) => `Bearer ${d.access}`;

describe('logbooks (e2e)', () => {
  let api: TestApi;
  let owner: Diver;
  let other: Diver;

  beforeAll(async () => {
    api = await startApi();
    owner = await signupAndSignin(api, 'owner');
    other = await signupAndSignin(api, 'other');
  });
  afterAll(() => api.close());

  it('creates by multipart with repeated equipment names and an image, in the original field order', async () => {
    const fields = logbookFields({ dive_date: '2024-07-01', latitude: 27.2, longitude: 33.8 });
    let req = api.http().post('/api/logbooks/').set('Authorization', auth(owner));
    for (const [k, v] of Object.entries(fields)) req = req.field(k, String(v));
    const res = await req
      .field('equipment', 'BCD')
      .field('equipment', 'Regulator')
      .field('dive_center', '')
      .attach('dive_image', PNG, { filename: 'fish.png', contentType: 'image/png' })
      .expect(201);
    expect(Object.keys(res.body)).toEqual(FIELD_ORDER);
    expect(res.body).toMatchObject({
      liked_by_current_user: false,
      likes_count: 0,
      dive_title: 'Blue hole',
      max_depth: 18.5,
      bottom_time: '00:45:00',
      weight: 6,
      user: owner.id,
      dive_center: null,
      equipment: ['BCD', 'Regulator'],
      likes: [],
      latitude: 27.2,
    });
    expect(res.body.dive_image).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/logbooks_images\/[0-9a-f-]{36}\.png$/);
    const image = await api.http().get(new URL(res.body.dive_image).pathname).expect(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(image.body, PNG)).toBe(0);
  });

  it('accepts JSON too, and reuses equipment by name', async () => {
    const res = await api
      .http()
      .post('/api/logbooks/')
      .set('Authorization', auth(owner))
      .send(logbookFields({ equipment: ['BCD', 'Fins'], bottom_time: 3600 * 25 - 86400 }))
      .expect(201);
    expect(res.body.equipment).toEqual(['BCD', 'Fins']);
    expect(res.body.bottom_time).toBe('01:00:00');
  });

  it.each([
    [{ end_pressure: 210 }, 'end_pressure'],
    [{ bottom_time: '35' }, 'bottom_time'],
    [{ bottom_time: 'soon' }, 'bottom_time'],
    [{ weather: 'foggy' }, 'weather'],
    [{ type_of_dive: 'cave' }, 'type_of_dive'],
    [{ dive_date: '2024-02-30' }, 'dive_date'],
    [{ max_depth: 'deep' }, 'max_depth'],
    [{ latitude: 91 }, 'latitude'],
    [{ dive_center: 999999 }, 'dive_center'],
    [{ dive_center: 1e20 }, 'dive_center'],
    [{ is_admin: true }, 'is_admin'],
    [{ user: 1 }, 'user'],
    [{ dive_image_url: 'javascript:alert(1)' }, 'dive_image_url'],
  ])('refuses %o with a 400 naming the field', async (over, field) => {
    const res = await api.http().post('/api/logbooks/').set('Authorization', auth(owner)).send(logbookFields(over));
    expect(res.status).toBe(400);
    expect(res.body[field]?.length).toBeGreaterThan(0);
  });

  it('refuses a file that is not an image, whatever it is called, and one that is too large', async () => {
    let req = api.http().post('/api/logbooks/').set('Authorization', auth(owner));
    for (const [k, v] of Object.entries(logbookFields())) req = req.field(k, String(v));
    const spoof = await req.attach('dive_image', NOT_AN_IMAGE, { filename: 'a.png', contentType: 'image/png' });
    expect(spoof.status).toBe(400);
    expect(spoof.body.dive_image[0]).toMatch(/valid image/);

    const big = await startApi({ UPLOAD_MAX_BYTES: '2048' });
    try {
      const b = await signupAndSignin(big, 'big');
      let r = big.http().post('/api/logbooks/').set('Authorization', `Bearer ${b.access}`);
      for (const [k, v] of Object.entries(logbookFields())) r = r.field(k, String(v));
      const res = await r.attach('dive_image', Buffer.concat([PNG, Buffer.alloc(4096)]), 'big.png');
      expect(res.status).toBe(413);
      expect(res.body.detail).toBeTruthy();
    } finally {
      await big.close();
    }
    const stray = await api.http().post('/api/logbooks/').set('Authorization', auth(owner)).attach('evil', PNG, 'x.png');
    expect(stray.status).toBe(400);
    // Refused before the body is read: no upload from anonymous callers.
    await api.http().post('/api/logbooks/').attach('dive_image', PNG, 'a.png').expect(401);
  });

  it('answers a malformed multipart body with a 400, on every route', async () => {
    for (const [url, authz] of [
      ['/api/logbooks/', auth(owner)],
      ['/api/auths/signin/', ''],
      ['/api/logbooks/1/comments', auth(owner)],
    ]) {
      for (const type of ['multipart/form-data', 'multipart/form-data; boundary=X']) {
        const req = api.http().post(url).set('Content-Type', type);
        if (authz) req.set('Authorization', authz);
        const res = await req.send('garbage\r\n--X\r\nContent-Disposition: form-data; name="a"\r\n');
        expect(res.status, `${url} ${type}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${url} ${type}`).toBeLessThan(500);
      }
    }
  });

  it('pages newest dive first with absolute next links, in a fixed number of queries', async () => {
    const viewer = await signupAndSignin(api, 'pager');
    for (const date of ['2023-01-03', '2023-01-01', '2023-01-02']) await createLogbook(api, viewer.access, { dive_date: date });
    const seen: Array<{ id: number; dive_date: string }> = [];
    let url: string | null = '/api/logbooks/?page_size=2';
    let pages = 0;
    while (url) {
      const res: { body: { next: string | null; results: Array<{ id: number; dive_date: string }> } } = await api
        .http()
        .get(url.replace(/^https?:\/\/[^/]+/, ''))
        .expect(200);
      expect(Object.keys(res.body)).toEqual(['count', 'next', 'previous', 'results']);
      if (res.body.next) expect(res.body.next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/logbooks\/\?page_size=2&page=\d+$/);
      seen.push(...res.body.results);
      url = res.body.next;
      pages++;
    }
    expect(seen.length).toBe((await api.http().get('/api/logbooks/').expect(200)).body.count);
    expect(pages).toBe(Math.ceil(seen.length / 2));
    const keys = seen.map((r) => `${r.dive_date}#${String(r.id).padStart(12, '0')}`);
    expect(keys).toEqual(keys.toSorted().toReversed());

    const spy = vi.spyOn(pg.Client.prototype, 'query');
    try {
      const counts: number[] = [];
      for (const size of [1, 5]) {
        spy.mockClear();
        await api.http().get(`/api/logbooks/?page_size=${size}&x=${size}`).expect(200);
        counts.push(spy.mock.calls.length);
      }
      expect(counts[0]).toBeGreaterThan(0);
      expect(counts[0]).toBe(counts[1]);
    } finally {
      spy.mockRestore();
    }
    // DRF's page-size rule: clamped to the maximum, an invalid one falls back to the default.
    const clamped = await api.http().get('/api/logbooks/?page_size=1000').expect(200);
    expect(clamped.body.results.length).toBe(Math.min(100, clamped.body.count));
    const fallback = await api.http().get('/api/logbooks/?page_size=abc').expect(200);
    expect(fallback.body.results.length).toBe(Math.min(10, fallback.body.count));
    // Links carry only page and page_size: a foreign parameter cannot be planted in a shared page.
    const planted = await api.http().get('/api/logbooks/?page_size=1&evil=%22x').expect(200);
    expect(planted.body.next).not.toContain('evil');
    const clean = await api.http().get('/api/logbooks/?page_size=1').expect(200);
    expect(clean.headers['x-cache']).toBe('HIT');
    expect(clean.body.next).toMatch(/\?page_size=1&page=2$/);
    await api.http().get('/api/logbooks/?page=9999').expect(404, { detail: 'Invalid page.' });
    await api.http().get('/api/logbooks/?page=zero').expect(404);
  });

  it("keeps the feed's total exact without counting every logbook: creates, deletes, bulk writes and a deleted owner", async () => {
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const counter = async () =>
      Number((await db.query(`SELECT row_count FROM table_counts WHERE table_name = 'logbooks'`)).rows[0].row_count);
    const actual = async () => Number((await db.query('SELECT count(*) AS n FROM logbooks')).rows[0].n);
    try {
      const writer = await signupAndSignin(api, 'counted');
      const ids = await Promise.all(Array.from({ length: 8 }, () => createLogbook(api, writer.access)));
      await api.http().delete(`/api/logbooks/${ids[0]}/`).set('Authorization', auth(writer)).expect(204);
      expect(await counter()).toBe(await actual());
      const page = await api.http().get('/api/logbooks/?page_size=1').expect(200);
      expect(page.body.count).toBe(await actual());

      // One statement writing several rows, one deleting several, and the cascade from a deleted owner.
      await db.query(
        `INSERT INTO logbooks (user_id, dive_title, dive_site, dive_date, max_depth, bottom_time_seconds, weight, start_pressure, end_pressure)
         SELECT user_id, dive_title, dive_site, dive_date, max_depth, bottom_time_seconds, weight, start_pressure, end_pressure
           FROM logbooks WHERE id = ANY($1)`,
        [ids.slice(1, 4)],
      );
      expect(await counter()).toBe(await actual());
      await db.query('DELETE FROM logbooks WHERE id = ANY($1)', [ids.slice(4, 6)]);
      expect(await counter()).toBe(await actual());
      const before = await actual();
      await db.query('DELETE FROM users WHERE id = $1', [writer.id]);
      expect(await actual()).toBeLessThan(before);
      expect(await counter()).toBe(await actual());
    } finally {
      await db.end();
    }
  });

  it('lets only the owner change or delete a logbook; anonymous writes get 401', async () => {
    const id = await createLogbook(api, owner.access);
    await api.http().get(`/api/logbooks/${id}/`).expect(200);
    await api.http().get('/api/logbooks/99999999/').expect(404, { detail: 'Not found.' });
    await api.http().get('/api/logbooks/abc/').expect(404);

    await api.http().patch(`/api/logbooks/${id}/`).set('Authorization', auth(other)).send({ feeling: 'mine now' }).expect(403);
    await api.http().put(`/api/logbooks/${id}/`).set('Authorization', auth(other)).send(logbookFields()).expect(403);
    await api.http().delete(`/api/logbooks/${id}/`).set('Authorization', auth(other)).expect(403);
    await api.http().post('/api/logbooks/').send(logbookFields()).expect(401);
    await api.http().patch(`/api/logbooks/${id}/`).send({ feeling: 'x' }).expect(401);
    await api.http().delete(`/api/logbooks/${id}/`).expect(401);

    const patched = await api
      .http()
      .patch(`/api/logbooks/${id}/`)
      .set('Authorization', auth(owner))
      .send({ feeling: 'calm', equipment: ['Computer'] })
      .expect(200);
    expect(patched.body).toMatchObject({ feeling: 'calm', equipment: ['Computer'], dive_title: 'Blue hole' });
    const bad = await api.http().patch(`/api/logbooks/${id}/`).set('Authorization', auth(owner)).send({ end_pressure: 250 });
    expect(bad.status).toBe(400);
    expect(bad.body.end_pressure).toBeDefined();
    await api.http().patch(`/api/logbooks/${id}/`).set('Authorization', auth(owner)).send({ dive_title: null }).expect(400);

    let put = api.http().put(`/api/logbooks/${id}/`).set('Authorization', auth(owner));
    for (const [k, v] of Object.entries(logbookFields({ dive_title: 'Replaced' }))) put = put.field(k, String(v));
    const replaced = await put.field('equipment', 'Mask').expect(200);
    expect(replaced.body).toMatchObject({ dive_title: 'Replaced', equipment: ['Mask'] });

    await api.http().delete(`/api/logbooks/${id}/`).set('Authorization', auth(owner)).expect(204);
    await api.http().get(`/api/logbooks/${id}/`).expect(404);
  });

  it("lists the caller's own logbooks and any user's, 404 for an unknown user", async () => {
    const diver = await signupAndSignin(api, 'solo');
    const ids = [
      await createLogbook(api, diver.access, { dive_date: '2022-01-01' }),
      await createLogbook(api, diver.access, { dive_date: '2022-02-01' }),
    ];
    const mine = await api.http().get('/api/logbooks/my_logbooks/').set('Authorization', auth(diver)).expect(200);
    expect(mine.body.map((l: { id: number }) => l.id)).toEqual(ids.toReversed());
    const theirs = await api.http().get(`/api/logbooks/${diver.id}/friend_logbooks/`).expect(200);
    expect(theirs.body.map((l: { id: number }) => l.id)).toEqual(ids.toReversed());
    await api.http().get('/api/logbooks/99999999/friend_logbooks/').expect(404);
    await api.http().get('/api/logbooks/my_logbooks/').expect(401);
  });

  it('comments: anyone reads, the author or the logbook owner deletes, others get 403', async () => {
    const id = await createLogbook(api, owner.access);
    const c1 = await api
      .http()
      .post(`/api/logbooks/${id}/comments`)
      .set('Authorization', auth(other))
      .send({ text: 'Nice dive' })
      .expect(201);
    expect(Object.keys(c1.body)).toEqual(['id', 'text', 'author_username', 'created_at']);
    expect(c1.body).toMatchObject({ text: 'Nice dive', author_username: 'other' });
    expect(c1.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const c2 = await api.http().post(`/api/logbooks/${id}/comments`).set('Authorization', auth(owner)).send({ text: 'Thanks' }).expect(201);
    const list = await api.http().get(`/api/logbooks/${id}/comments`).expect(200);
    expect(list.body.map((c: { id: number }) => c.id)).toEqual([c1.body.id, c2.body.id]);

    await api.http().post(`/api/logbooks/${id}/comments`).send({ text: 'anon' }).expect(401);
    await api.http().post(`/api/logbooks/${id}/comments`).set('Authorization', auth(other)).send({ text: '' }).expect(400);
    await api.http().post('/api/logbooks/99999999/comments').set('Authorization', auth(other)).send({ text: 'x' }).expect(404);
    await api.http().get('/api/logbooks/99999999/comments').expect(404);

    await api.http().delete(`/api/logbooks/${id}/uncomment/${c2.body.id}`).set('Authorization', auth(other)).expect(403);
    await api.http().delete(`/api/logbooks/${id}/uncomment/99999999`).set('Authorization', auth(other)).expect(404);
    await api.http().delete(`/api/logbooks/${id}/uncomment/${c1.body.id}`).set('Authorization', auth(owner)).expect(204);
    await api.http().delete(`/api/logbooks/${id}/uncomment/${c2.body.id}`).set('Authorization', auth(owner)).expect(204);
    expect((await api.http().get(`/api/logbooks/${id}/comments`).expect(200)).body).toEqual([]);
  });
});
