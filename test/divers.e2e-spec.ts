import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { ViewCache } from '@app/cache';
import { createConsumer } from '../apps/consumer/src/consumer.factory.js';
import { type Diver, signupAndSignin, startApi, type TestApi } from './support/api.js';
import { EmailAudit } from './support/email-audit.js';
import { NOT_AN_IMAGE, PNG, createLogbook } from './support/fixtures.js';
import { connectDb, waitFor } from './support/likes-model.js';

const USER_DETAIL_KEYS = [
  'id',
  'profile_image',
  'email',
  'username',
  'country',
  'introduction',
  'date_joined',
  'bucketlists',
  'own_logbooks',
  'friends',
  'license',
];

interface UserDetail {
  id: number;
  email: string | null;
  username: string;
  date_joined: string;
  introduction: string | null;
  profile_image: string | null;
  bucketlists: Array<{ id: number; title: string; created_at: string; user: number }>;
  own_logbooks: Array<Record<string, unknown>>;
  friends: number[];
  license: string | null;
}

/** Profile images on local disk (this run's STORAGE_DIR). */
const stored = async () =>
  (await readdir(join(process.env.STORAGE_DIR!, 'profile_image')).catch((err) => (err.code === 'ENOENT' ? [] : Promise.reject(err))))
    .length;
const emails = (res: { body: UserDetail[] }) => res.body.filter((u) => u.email !== null).map((u) => u.email);

describe('divers: mypage/all, mypage/, users/, friend/{id}/, edit_profile (e2e)', () => {
  let api: TestApi;
  let consumer: NestFastifyApplication;
  let db: pg.Client;
  let audit: EmailAudit;
  let ann: Diver;
  let ben: Diver;

  beforeAll(async () => {
    api = await startApi();
    consumer = await createConsumer();
    db = await connectDb();
    audit = new EmailAudit(api);
    ann = await signupAndSignin(api, 'ann');
    ben = await signupAndSignin(api, 'ben');
  });
  afterAll(async () => {
    await db?.end();
    await consumer?.close();
    await api?.close();
  });

  const all = async (caller?: Diver): Promise<UserDetail[]> => (await audit.as(caller).get('/api/mypage/all/').expect(200)).body;
  const entryOf = async (id: number, caller?: Diver) => (await all(caller)).find((u) => u.id === id);

  it("lists every diver as the original's UserDetail, logbooks in the logbook shape, email only in the caller's own entry", async () => {
    const logbookId = await createLogbook(api, ann.access);
    const bucket = await audit.as(ann).post('/api/mypage/bucketlists/').send({ title: 'Sipadan' }).expect(201);
    await audit.as(ann).post(`/api/mypage/friends/detail/${ben.id}/`).expect(201);

    const divers = await all(ann);
    const mine = divers.find((u) => u.id === ann.id)!;
    const his = divers.find((u) => u.id === ben.id)!;
    expect(Object.keys(mine)).toEqual(USER_DETAIL_KEYS);
    expect(mine).toMatchObject({ email: ann.email, username: 'ann', country: 'KR', profile_image: null, license: null, friends: [ben.id] });
    expect(mine.date_joined).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
    expect(mine.bucketlists).toEqual([bucket.body]);
    expect(Object.keys(bucket.body)).toEqual(['id', 'title', 'created_at', 'user']);
    // The very body the logbook detail serves to the same caller.
    const detail = await audit.as(ann).get(`/api/logbooks/${logbookId}/`).expect(200);
    expect(mine.own_logbooks).toEqual([detail.body]);
    expect(his).toMatchObject({ email: null, username: 'ben', friends: [ann.id], own_logbooks: [], bucketlists: [] });

    // Anonymous callers see nobody's email; another diver sees only their own.
    expect((await all()).every((u) => u.email === null)).toBe(true);
    const seenByBen = await all(ben);
    expect(seenByBen.filter((u) => u.email !== null).map((u) => u.email)).toEqual([ben.email]);
  });

  it("serves the caller's own detail at mypage/ and a diver's profile at friend/{id}/; 401 and 404 where due", async () => {
    const self = await audit.as(ben).get('/api/mypage/').expect(200);
    expect(self.body).toMatchObject({ id: ben.id, email: ben.email, username: 'ben' });
    expect(Object.keys(self.body)).toEqual(USER_DETAIL_KEYS);
    await audit.as().get('/api/mypage/').expect(401);

    const profile = await audit.as(ben).get(`/api/mypage/friend/${ann.id}/`).expect(200);
    expect(profile.body).toMatchObject({ id: ann.id, username: 'ann', email: null });
    const ownProfile = await audit.as(ann).get(`/api/mypage/friend/${ann.id}/`).expect(200);
    expect(ownProfile.body).toMatchObject({ id: ann.id, email: ann.email });
    const anonymous = await audit.as().get(`/api/mypage/friend/${ann.id}/`).expect(200);
    expect(anonymous.body.email).toBeNull();
    for (const id of ['99999999', 'abc', '0', '-1', '1e3']) await audit.as(ann).get(`/api/mypage/friend/${id}/`).expect(404);
  });

  it('serves the navbar directory at users/ without any email', async () => {
    const res = await audit.as(ann).get('/api/users/').expect(200);
    const ids = (res.body as Array<{ id: number; username: string }>).map((u) => u.id);
    expect(ids).toEqual(expect.arrayContaining([ann.id, ben.id]));
    expect(Object.keys(res.body[0])).toEqual(['id', 'profile_image', 'username', 'country', 'introduction', 'license']);
  });

  it('edits only your own profile, by JSON or multipart, validating like sign-up, and the change shows everywhere at once', async () => {
    const cat = await signupAndSignin(api, 'cat');
    await all(ann); // warm the cache: the edit must invalidate it
    const edited = await audit
      .as(cat)
      .put(`/api/mypage/edit_profile/${cat.id}/`)
      .send({ username: 'catfish', country: 'Korea', license: 'Tec 40', introduction: 'Hi' })
      .expect(200);
    expect(edited.body).toMatchObject({ id: cat.id, username: 'catfish', country: 'Korea', license: 'Tec 40', introduction: 'Hi' });
    expect(Object.keys(edited.body)).toEqual(USER_DETAIL_KEYS);
    expect((await entryOf(cat.id, ann))?.username).toBe('catfish');
    // The guard's cached user was refreshed.
    expect((await audit.as(cat).get('/api/auths/me/').expect(200)).body).toMatchObject({ username: 'catfish', license: 'Tec 40' });

    // Partial; license may be cleared; the email is normalised and its owner can sign in with it.
    const newEmail = `Cat_${Date.now()}@Example.COM `;
    cat.email = newEmail.trim().toLowerCase(); // the answer already carries the new one
    const patched = await audit.as(cat).patch(`/api/mypage/edit_profile/${cat.id}/`).send({ email: newEmail, license: null }).expect(200);
    expect(patched.body).toMatchObject({ email: cat.email, license: null, username: 'catfish' });
    await api.http().post('/api/auths/signin/').send({ email: cat.email, password: cat.password }).expect(200);

    const bad: Array<[Record<string, unknown>, string]> = [
      [{ username: 'ab' }, 'username'],
      [{ username: 'x'.repeat(31) }, 'username'],
      [{ username: null }, 'username'],
      [{ country: 'K1' }, 'country'],
      [{ country: 'x'.repeat(21) }, 'country'],
      [{ license: 'Tec 41' }, 'license'],
      [{ introduction: 'x'.repeat(1001) }, 'introduction'],
      [{ email: 'not-an-email' }, 'email'],
      [{ email: ben.email.toUpperCase() }, 'email'],
      [{ id: 5 }, 'id'],
      [{ date_joined: '2020-01-01' }, 'date_joined'],
      [{ is_staff: true }, 'is_staff'],
      [{ profile_image: 'https://evil.example/x.png' }, 'profile_image'],
    ];
    for (const [body, field] of bad) {
      const res = await audit.as(cat).patch(`/api/mypage/edit_profile/${cat.id}/`).send(body).expect(400);
      expect(Object.keys(res.body)).toContain(field);
    }

    // Nobody edits anyone else: 0 successes, and the profile is untouched.
    for (const method of ['put', 'patch'] as const) {
      const res = await audit.as(ben)[method](`/api/mypage/edit_profile/${cat.id}/`).send({ username: 'hijacked' }).expect(403);
      expect(res.body.detail).toEqual(expect.any(String));
    }
    await audit.as().put(`/api/mypage/edit_profile/${cat.id}/`).send({ username: 'hijacked' }).expect(401);
    await audit.as(cat).put('/api/mypage/edit_profile/99999999/').send({ username: 'ghost' }).expect(404);
    await audit.as(cat).put('/api/mypage/edit_profile/abc/').send({ username: 'ghost' }).expect(404);
    expect((await entryOf(cat.id))?.username).toBe('catfish');
  });

  it('takes a profile image by multipart, checked by content, and serves it at an absolute URL (also from auths/me)', async () => {
    const dan = await signupAndSignin(api, 'dan');
    const refused = await audit
      .as(dan)
      .put(`/api/mypage/edit_profile/${dan.id}/`)
      .attach('profile_image', NOT_AN_IMAGE, { filename: 'x.png', contentType: 'image/png' })
      .expect(400);
    expect(Object.keys(refused.body)).toEqual(['profile_image']);

    const res = await audit
      .as(dan)
      .put(`/api/mypage/edit_profile/${dan.id}/`)
      .field('username', 'danny')
      .attach('profile_image', PNG, { filename: 'me.png', contentType: 'image/png' })
      .expect(200);
    expect(res.body).toMatchObject({ username: 'danny' });
    expect(res.body.profile_image).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/profile_image\/.+\.png$/);
    const image = await fetch(res.body.profile_image);
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG);
    expect((await audit.as(dan).get('/api/auths/me/').expect(200)).body.profile_image).toBe(res.body.profile_image);
    expect((await entryOf(dan.id))?.profile_image).toBe(res.body.profile_image);

    // Two replacements at once: each replaced file is deleted once, and only the last one stays.
    const before = await stored();
    const racing = await Promise.all(
      [1, 2].map(() =>
        audit
          .as(dan)
          .patch(`/api/mypage/edit_profile/${dan.id}/`)
          .attach('profile_image', PNG, { filename: 'me.png', contentType: 'image/png' }),
      ),
    );
    expect(racing.map((r) => r.status)).toEqual([200, 200]);
    expect(await stored()).toBe(before);
    const last = (await audit.as(dan).get('/api/mypage/').expect(200)).body.profile_image;
    expect((await fetch(last)).status).toBe(200);

    // "" removes it, file and all.
    const cleared = await audit.as(dan).patch(`/api/mypage/edit_profile/${dan.id}/`).field('profile_image', '').expect(200);
    expect(cleared.body.profile_image).toBeNull();
    expect(await stored()).toBe(before - 1);
  });

  it('is cached, and a bucket list, a buddy, a like or a profile edit shows in the next mypage/all/', async () => {
    const eve = await signupAndSignin(api, 'eve');
    const logbookId = await createLogbook(api, eve.access);
    await all(ann);
    const warm = await audit.as(ann).get('/api/mypage/all/').expect(200);
    expect(warm.headers['x-cache']).toBe('HIT');

    await audit.as(eve).post('/api/mypage/bucketlists/').send({ title: 'Raja Ampat' }).expect(201);
    expect((await entryOf(eve.id, ann))?.bucketlists.map((b) => b.title)).toEqual(['Raja Ampat']);

    await audit.as(eve).post(`/api/mypage/friends/detail/${ann.id}/`).expect(201);
    expect((await entryOf(eve.id, ann))?.friends).toEqual([ann.id]);

    await audit.as(ann).post(`/api/logbooks/${logbookId}/like/`).expect(202);
    const liked = await waitFor('the like to show in mypage/all', async () => {
      const logbook = (await entryOf(eve.id, ann))?.own_logbooks[0];
      return logbook?.likes_count === 1 ? logbook : undefined;
    });
    // One body for everyone: the feed, not this list, marks the caller's own likes.
    expect(liked).toMatchObject({ likes: [ann.id], liked_by_current_user: false });
    expect((await audit.as(ann).get(`/api/logbooks/${logbookId}/`).expect(200)).body.liked_by_current_user).toBe(true);

    await audit.as(eve).patch(`/api/mypage/edit_profile/${eve.id}/`).send({ introduction: 'Reef lover' }).expect(200);
    expect(await entryOf(eve.id, ann)).toMatchObject({ introduction: 'Reef lover' });
    // Likes lists show usernames, so a rename reaches them too.
    await audit.as(ann).patch(`/api/mypage/edit_profile/${ann.id}/`).send({ username: 'annie' }).expect(200);
    const likes = await audit.as().get('/api/logbooks/likes/').expect(200);
    expect(likes.body.find((l: { id: number }) => l.id === logbookId)?.likes).toEqual(['annie']);
  });

  it("caches one body for every caller, writing in each caller's own email, with an ETag per caller", async () => {
    await api.app.get(ViewCache).bump('users');
    const first = await audit.as(ann).get('/api/mypage/all/').expect(200);
    expect(first.headers['x-cache']).toBe('MISS');
    const [second, anonymous] = await Promise.all([audit.as(ben).get('/api/mypage/all/'), audit.as().get('/api/mypage/all/')]);
    expect([second.headers['x-cache'], anonymous.headers['x-cache']]).toEqual(['HIT', 'HIT']);
    expect([emails(first), emails(second), emails(anonymous)]).toEqual([[ann.email], [ben.email], []]);
    expect(new Set([first.headers.etag, second.headers.etag, anonymous.headers.etag]).size).toBe(3);
    // A caller's ETag revalidates only that caller's copy.
    await audit.as(ann).get('/api/mypage/all/').set('If-None-Match', first.headers.etag).expect(304);
    await audit.as(ben).get('/api/mypage/all/').set('If-None-Match', first.headers.etag).expect(200);
    await audit.as().get('/api/mypage/all/').set('If-None-Match', first.headers.etag).expect(200);

    // Uncached, the same answers.
    const direct = await startApi({ CACHE_RESPONSES: 'false' });
    try {
      const res = await direct.http().get('/api/mypage/all/').set('Authorization', `Bearer ${ben.access}`).expect(200);
      expect(res.headers['x-cache']).toBeUndefined();
      expect(emails(res)).toEqual([ben.email]);
      expect(emails(await direct.http().get('/api/mypage/all/').expect(200))).toEqual([]);
    } finally {
      await direct.close();
    }
  });

  it('costs one SQL statement on a miss, whatever the number of divers and logbooks', async () => {
    const views = api.app.get(ViewCache);
    const statementsOfAMiss = async () => {
      await views.bump('users');
      const spy = vi.spyOn(pg.Client.prototype, 'query');
      try {
        const res = await audit.as().get('/api/mypage/all/').expect(200);
        expect(res.headers['x-cache']).toBe('MISS');
        return { statements: spy.mock.calls.length, divers: res.body.length as number, bytes: res.text.length };
      } finally {
        spy.mockRestore();
      }
    };
    const before = await statementsOfAMiss();
    // 30 more divers with 4 logbooks, a bucket list and a buddy each.
    await db.query(
      `
      WITH u AS (
        INSERT INTO users (email, username, country, password)
        SELECT 'bulk' || g || '_' || extract(epoch FROM now())::bigint || '@example.com', 'bulk' || g, 'KR', 'x' FROM generate_series(1, 30) g
        RETURNING id),
      l AS (
        INSERT INTO logbooks (user_id, dive_title, dive_site, dive_date, max_depth, bottom_time_seconds, weight, start_pressure, end_pressure)
        SELECT u.id, 'bulk', 'site', '2024-01-01', 10, 600, 4, 200, 50 FROM u, generate_series(1, 4)),
      b AS (INSERT INTO bucket_lists (user_id, title) SELECT id, 'bulk' FROM u)
      INSERT INTO friends (user_id, friend_id) SELECT id, $1 FROM u`,
      [ann.id],
    );
    const after = await statementsOfAMiss();
    expect(after.divers).toBe(before.divers + 30);
    expect(after.bytes).toBeGreaterThan(before.bytes);
    expect(before.statements).toBe(1);
    expect(after.statements).toBe(1);
    console.log(`mypage/all/ miss: ${before.statements} statement for ${before.divers} divers, ${after.statements} for ${after.divers}`);
  });

  it("removes everything that hangs off a deleted diver, and the diver's id is then 404", async () => {
    const gus = await signupAndSignin(api, 'gus');
    await createLogbook(api, gus.access);
    await audit.as(gus).post('/api/mypage/bucketlists/').send({ title: 'Palau' }).expect(201);
    await audit.as(gus).post('/api/mypage/myskills/').send({ skill: 'Nitrox' }).expect(201);
    await audit.as(gus).post(`/api/mypage/friends/detail/${ben.id}/`).expect(201);
    await db.query('DELETE FROM users WHERE id = $1', [gus.id]);
    const left = await db.query(
      `SELECT (SELECT count(*) FROM logbooks WHERE user_id = $1) + (SELECT count(*) FROM bucket_lists WHERE user_id = $1)
            + (SELECT count(*) FROM skill_sets WHERE user_id = $1) + (SELECT count(*) FROM friends WHERE $1 IN (user_id, friend_id)) AS n`,
      [gus.id],
    );
    expect(Number(left.rows[0].n)).toBe(0);
    await api.app.get(ViewCache).bump('users'); // the row went behind the app's back
    await audit.as(ben).get(`/api/mypage/friend/${gus.id}/`).expect(404);
    expect((await entryOf(ben.id, ben))?.friends).not.toContain(gus.id);
    await audit.as().get(`/api/mypage/myskills/friends/${gus.id}/`).expect(404);
  });

  it('deleting an account through the API takes its buddies, lists, skills, posts, survey and image, and every view that showed them follows, never 500', async () => {
    const name = `hal${randomBytes(4).toString('hex')}`;
    const hal = await signupAndSignin(api, name);
    await audit.as(hal).post('/api/mypage/bucketlists/').send({ title: 'Truk Lagoon' }).expect(201);
    await audit.as(hal).post('/api/mypage/myskills/').send({ skill: 'Wreck' }).expect(201);
    await audit.as(hal).post(`/api/mypage/friends/detail/${ben.id}/`).expect(201);
    const job = (
      await audit
        .as(hal)
        .post('/api/home/jobs/')
        .send({ title: `${name} boat crew` })
        .expect(201)
    ).body.id;
    await audit.as(hal).post('/api/settings/preferences/').send({ residence: 'Chuuk' }).expect(201);
    const before = await stored();
    await audit
      .as(hal)
      .patch(`/api/mypage/edit_profile/${hal.id}/`)
      .attach('profile_image', PNG, { filename: 'me.png', contentType: 'image/png' })
      .expect(200);
    expect(await stored()).toBe(before + 1);

    // Every view that shows Hal, read (and so cached) before the account goes.
    const read = async () => ({
      all: await audit.as(ann).get('/api/mypage/all/'),
      profile: await audit.as(ann).get(`/api/mypage/friend/${hal.id}/`),
      skills: await audit.as().get(`/api/mypage/myskills/friends/${hal.id}/`),
      buddies: await audit.as(ben).get('/api/mypage/friends/list/'),
      users: await audit.as().get('/api/users/'),
      job: await audit.as().get(`/api/home/jobs/${job}/`),
      jobs: await audit.as().get('/api/home/jobs/'),
      search: await audit.as().get(`/api/search/?q=${name}`),
    });
    const shown = await read();
    expect(shown.all.body.some((u: UserDetail) => u.id === hal.id)).toBe(true);
    expect(shown.buddies.body.map((u: UserDetail) => u.id)).toContain(hal.id);
    expect([shown.profile.status, shown.skills.status, shown.job.status]).toEqual([200, 200, 200]);
    expect(shown.jobs.body.results.map((j: { id: number }) => j.id)).toContain(job);
    expect(shown.search.body.users.map((u: { id: number }) => u.id)).toEqual([hal.id]);
    expect(shown.search.body.jobs.map((j: { id: number }) => j.id)).toEqual([job]);

    await audit.as(hal).delete('/api/auths/me/').send({ password: hal.password }).expect(204);

    const left = await db.query(
      `SELECT (SELECT count(*) FROM friends WHERE $1 IN (user_id, friend_id))::int AS friends,
              (SELECT count(*) FROM bucket_lists WHERE user_id = $1)::int AS bucket_lists,
              (SELECT count(*) FROM skill_sets WHERE user_id = $1)::int AS skills,
              (SELECT count(*) FROM jobs WHERE user_id = $1)::int AS jobs,
              (SELECT count(*) FROM preferences WHERE user_id = $1)::int AS preferences`,
      [hal.id],
    );
    expect(left.rows[0]).toEqual({ friends: 0, bucket_lists: 0, skills: 0, jobs: 0, preferences: 0 });
    expect(await stored()).toBe(before);

    const after = await read();
    expect(Object.values(after).filter((res) => res.status >= 500)).toEqual([]);
    expect(after.all.body.map((u: UserDetail) => u.id)).not.toContain(hal.id);
    expect(after.all.body.find((u: UserDetail) => u.id === ben.id)?.friends).not.toContain(hal.id);
    expect([after.profile.status, after.skills.status, after.job.status]).toEqual([404, 404, 404]);
    expect(after.buddies.body.map((u: UserDetail) => u.id)).not.toContain(hal.id);
    expect(after.users.body.map((u: { id: number }) => u.id)).not.toContain(hal.id);
    expect(after.jobs.body.results.map((j: { id: number }) => j.id)).not.toContain(job);
    expect(after.search.body).toMatchObject({ users: [], jobs: [], bucketlists: [], friends: [] });
  });

  it('let no response carry an email other than the caller’s own', () => {
    expect(audit.responses).toBeGreaterThan(50);
    expect(audit.leaks).toEqual([]);
  });
});
