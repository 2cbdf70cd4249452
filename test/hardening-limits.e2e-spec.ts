import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { type Diver, signupAndSignin, startApi, startConsumer, type TestApi } from './support/api.js';
import { createLogbook, logbookFields, PNG, uniquePng } from './support/fixtures.js';
import { type RunningFake, startFishialFake } from './support/fishial-fake.js';

const bearer = (d: { access: string }) => ({ Authorization: `Bearer ${d.access}` });
const tooLong = (field: string, max: number) => ({ [field]: [`Ensure this field has no more than ${max} characters.`] });
const photoBytes = uniquePng;

describe('writes with bounds', () => {
  let api: TestApi;
  let db: pg.Client;
  let alice: Diver;
  let bob: Diver;
  beforeAll(async () => {
    api = await startApi();
    db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    [alice, bob] = await Promise.all([signupAndSignin(api, 'alice'), signupAndSignin(api, 'bob')]);
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('bounds comments, feelings, buddies, titles and sites to lengths a person writes, with DRF’s message', async () => {
    const logbook = await createLogbook(api, alice.access);
    const comment = await api
      .http()
      .post(`/api/logbooks/${logbook}/comments`)
      .set(bearer(bob))
      .send({ text: 'x'.repeat(2_001) });
    expect({ status: comment.status, body: comment.body }).toEqual({ status: 400, body: tooLong('text', 2_000) });
    for (const [field, max] of [
      ['feeling', 5_000],
      ['buddy', 200],
      ['dive_title', 256],
      ['dive_site', 256],
    ] as const) {
      const res = await api
        .http()
        .patch(`/api/logbooks/${logbook}/`)
        .set(bearer(alice))
        .send({ [field]: 'x'.repeat(max + 1) });
      expect({ field, status: res.status, body: res.body }).toEqual({ field, status: 400, body: tooLong(field, max) });
    }
  });

  it('caches the comment list as its own view family: a comment refreshes it and leaves logbook pages cached', async () => {
    const logbook = await createLogbook(api, alice.access);
    const comments = () => api.http().get(`/api/logbooks/${logbook}/comments`).expect(200);
    const detail = () => api.http().get(`/api/logbooks/${logbook}/`).expect(200);
    expect((await comments()).headers['x-cache']).toBe('MISS');
    expect((await comments()).headers['x-cache']).toBe('HIT');
    await detail();
    expect((await detail()).headers['x-cache']).toBe('HIT');

    const posted = await api.http().post(`/api/logbooks/${logbook}/comments`).set(bearer(bob)).send({ text: 'new' }).expect(201);
    const after = await comments();
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body.map((c: { id: number }) => c.id)).toEqual([posted.body.id]);
    expect((await detail()).headers['x-cache']).toBe('HIT');

    await api.http().delete(`/api/logbooks/${logbook}/uncomment/${posted.body.id}`).set(bearer(bob)).expect(204);
    expect((await comments()).body).toEqual([]);
  });

  /** A new diver with 105 logbooks one day apart from 2020-01-01: `first` is the oldest, the newest was inserted last. */
  const diverWith105Logbooks = async (name: string) => {
    const diver = await signupAndSignin(api, name);
    const first = await createLogbook(api, diver.access, { dive_date: '2020-01-01' });
    await db.query(
      `INSERT INTO logbooks (user_id, dive_title, dive_site, dive_date, max_depth, bottom_time_seconds, weight, start_pressure, end_pressure)
       SELECT user_id, dive_title, dive_site, dive_date + n, max_depth, bottom_time_seconds, weight, start_pressure, end_pressure
         FROM logbooks, generate_series(1, 104) AS n WHERE id = $1`,
      [first],
    );
    return { diver, first };
  };

  it('caps the lists the original left unbounded at 100, in their own order, with page and page_size honoured', async () => {
    const { diver: erin, first } = await diverWith105Logbooks('erin');
    await db.query(`INSERT INTO comments (logbook_id, author_id, text) SELECT $1, $2, 'c' || n FROM generate_series(1, 102) AS n`, [
      first,
      bob.id,
    ]);
    const get = async (url: string, d?: Diver) => (await (d ? api.http().get(url).set(bearer(d)) : api.http().get(url)).expect(200)).body;

    for (const [url, d] of [
      ['/api/logbooks/my_logbooks/', erin],
      [`/api/logbooks/${erin.id}/friend_logbooks/`, undefined],
    ] as const) {
      const all = await get(url, d);
      expect(Array.isArray(all)).toBe(true);
      expect(all).toHaveLength(100);
      expect(all[0].dive_date).toBe('2020-04-14'); // the newest dive first
      expect(await get(`${url}?page=2`, d)).toHaveLength(5);
      expect((await get(`${url}?page=2`, d)).at(-1).id).toBe(first);
      expect(await get(`${url}?page_size=10&page=11`, d)).toHaveLength(5);
      expect(await get(`${url}?page_size=1000`, d)).toHaveLength(100);
      expect(await get(`${url}?page=3`, d)).toEqual([]);
    }
    const comments = await get(`/api/logbooks/${first}/comments`);
    expect(comments).toHaveLength(100);
    expect(comments[0].text).toBe('c1'); // the oldest first
    expect((await get(`/api/logbooks/${first}/comments?page=2`)).map((c: { text: string }) => c.text)).toEqual(['c101', 'c102']);
    expect((await get(`/api/logbooks/${first}/comments?page_size=5&page=3`)).map((c: { text: string }) => c.text)).toEqual([
      'c11',
      'c12',
      'c13',
      'c14',
      'c15',
    ]);
    await api.http().get(`/api/logbooks/${first}/comments?page=0`).expect(404);
  });

  it('caps the lists nested in a diver’s detail alike: the newest 100 logbooks, the first 100 bucket lists, on every view of it', async () => {
    const { diver: gail, first } = await diverWith105Logbooks('gail');
    await db.query(`INSERT INTO bucket_lists (user_id, title) SELECT $1, 'b' || n FROM generate_series(1, 101) AS n`, [gail.id]);
    await api.http().post(`/api/mypage/friends/detail/${gail.id}/`).set(bearer(bob)).expect(201);
    type Detail = { id: number; own_logbooks: Array<{ id: number; dive_date: string }>; bucketlists: Array<{ title: string }> };
    const entryOf = (list: Detail[]) => list.find((d) => d.id === gail.id)!;
    const views: Array<[string, Detail]> = [
      ['friend/{id}/', (await api.http().get(`/api/mypage/friend/${gail.id}/`).expect(200)).body],
      ['mypage/', (await api.http().get('/api/mypage/').set(bearer(gail)).expect(200)).body],
      ['mypage/all/', entryOf((await api.http().get('/api/mypage/all/').expect(200)).body)],
      ['friends/list/', entryOf((await api.http().get('/api/mypage/friends/list/').set(bearer(bob)).expect(200)).body)],
    ];
    const firstTitles = Array.from({ length: 100 }, (_, i) => `b${i + 1}`);
    for (const [view, d] of views) {
      expect({ view, logbooks: d.own_logbooks.length, newest: d.own_logbooks[0].dive_date }).toEqual({
        view,
        logbooks: 100,
        newest: '2020-04-14',
      });
      expect({ view, hasOldest: d.own_logbooks.some((l) => l.id === first) }).toEqual({ view, hasOldest: false });
      expect({ view, titles: d.bucketlists.map((b) => b.title) }).toEqual({ view, titles: firstTitles });
    }
  });
});

describe('write rate limits', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({
      WRITE_LIMIT_COMMENTS_PER_MINUTE: '3',
      WRITE_LIMIT_LOGBOOKS_PER_MINUTE: '4',
      WRITE_LIMIT_PHOTOS_PER_MINUTE: '2',
      WRITE_LIMIT_COMMUNITY_PER_MINUTE: '4',
    });
  });
  afterAll(() => api.close());

  it('limits each user’s comment, logbook and photo writes per minute: 429 with Retry-After, other users unaffected', async () => {
    const [carol, dan] = await Promise.all([signupAndSignin(api, 'carol'), signupAndSignin(api, 'dan')]);
    const logbook = await createLogbook(api, dan.access);
    const comment = (d: Diver) => api.http().post(`/api/logbooks/${logbook}/comments`).set(bearer(d)).send({ text: 'hi' });
    for (let i = 0; i < 3; i++) await comment(carol).expect(201);
    const held = await comment(carol);
    expect(held.status).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(held.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(held.body).toEqual({ detail: expect.stringMatching(/^Request was throttled\. Expected available in \d+ seconds\.$/) });
    await comment(dan).expect(201);

    // Creates and updates share one budget (dan spent one creating the logbook above).
    await api.http().patch(`/api/logbooks/${logbook}/`).set(bearer(dan)).send({ feeling: 'a' }).expect(200);
    await api.http().put(`/api/logbooks/${logbook}/`).set(bearer(dan)).send(logbookFields()).expect(200);
    await api.http().post('/api/logbooks/').set(bearer(dan)).send(logbookFields()).expect(201);
    await api.http().patch(`/api/logbooks/${logbook}/`).set(bearer(dan)).send({ feeling: 'b' }).expect(429);
    await api.http().get(`/api/logbooks/${logbook}/`).expect(200); // reads are not counted

    const presign = () => api.http().get('/api/photo/generate_presigned_url/?filename=a.png&filetype=image/png').set(bearer(carol));
    await presign().expect(200);
    await api.http().post('/api/photo/').set(bearer(carol)).field('title', 'fish').attach('image', PNG, 'x.png').expect(201);
    await presign().expect(429);
    await api.http().post('/api/photo/').set(bearer(carol)).field('title', 'fish').attach('image', PNG, 'x.png').expect(429);
  });

  it('limits the community writes (profile, buddies, bucket lists, skills, jobs, preferences) on one shared budget', async () => {
    const [erin, finn] = await Promise.all([signupAndSignin(api, 'erin'), signupAndSignin(api, 'finn')]);
    await api.http().post('/api/mypage/bucketlists/').set(bearer(erin)).send({ title: 'Blue Hole' }).expect(201);
    await api.http().post('/api/mypage/myskills/').set(bearer(erin)).send({ skill: 'Nitrox' }).expect(201);
    await api.http().post('/api/home/jobs/').set(bearer(erin)).send({ title: 'Guide wanted' }).expect(201);
    await api.http().post(`/api/mypage/friends/detail/${finn.id}/`).set(bearer(erin)).expect(201);
    const held = await api.http().post('/api/settings/preferences/').set(bearer(erin)).send({ residence: 'Seoul' });
    expect(held.status).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    await api.http().patch(`/api/mypage/edit_profile/${erin.id}/`).set(bearer(erin)).send({ introduction: 'x' }).expect(429);
    await api.http().post('/api/settings/preferences/').set(bearer(finn)).send({ residence: 'Busan' }).expect(201);
    await api.http().get('/api/mypage/bucketlists/').set(bearer(erin)).expect(200); // reads are not counted
  });
});

describe('daily recognition quota', () => {
  let fake: RunningFake;
  let api: TestApi;
  let consumer: NestFastifyApplication;
  beforeAll(async () => {
    fake = await startFishialFake();
    api = await startApi({ RECOGNITION_DAILY_QUOTA: '3' });
    consumer = await startConsumer({ ...fake.clientEnv, RECOGNITION_RETRY_BASE_MS: '20' });
  });
  afterAll(async () => {
    await consumer?.close();
    await api?.close();
    await fake?.app.close();
  });

  it('counts each photo sent to Fishial per user per day; a photo already done costs nothing; beyond it 429 with Retry-After', async () => {
    const [d, other] = await Promise.all([signupAndSignin(api, 'quota'), signupAndSignin(api, 'other')]);
    const upload = async (diver: Diver, i: number) =>
      (await api.http().post('/api/photo/').set(bearer(diver)).field('title', 'f').attach('image', photoBytes(i), 'x.png').expect(201)).body
        .id;
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push(await upload(d, i));
    const [p1, p2, p3, p4] = ids;
    const classify = (id: number) => api.http().post(`/api/photo/${id}/classify/`).set(bearer(d)).set('Prefer', 'wait=10');
    const batch = (photo_ids: number[]) => api.http().post('/api/photo/classify/').set(bearer(d)).send({ photo_ids });
    const calls = fake.state.stats.calls.recognize;

    expect((await classify(p1)).status).toBe(200); // 1 of 3
    expect((await classify(p1)).status).toBe(200); // done: free
    const over = await batch([p1, p2, p3, p4]); // needs 3, 2 left: nothing is sent
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(86_000);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(86_400);
    expect(over.body.detail).toMatch(/Daily recognitions quota reached/);
    const status = async (id: number) => (await api.http().get(`/api/photo/${id}/`).set(bearer(d)).expect(200)).body.status;
    expect(await Promise.all([p2, p3, p4].map(status))).toEqual([null, null, null]);

    expect((await batch([p1, p2, p3])).status).toBe(202); // 3 of 3
    expect((await classify(p4)).status).toBe(429);
    expect((await batch([p1])).status).toBe(202); // still free: already done

    // Another user's quota is their own.
    const theirs = await upload(other, 9);
    expect((await api.http().post(`/api/photo/${theirs}/classify/`).set(bearer(other))).status).toBe(202);
    await vi.waitFor(async () => expect(await Promise.all([p2, p3].map(status))).toEqual(['done', 'done']), { timeout: 10_000 });
    expect(fake.state.stats.calls.recognize - calls).toBeLessThanOrEqual(4);
  });
});
