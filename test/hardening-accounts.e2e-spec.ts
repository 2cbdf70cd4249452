import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type Diver, signupAndSignin, startApi, type TestApi, uniqueEmail } from './support/api.js';
import { createLogbook, logbookFields, PNG } from './support/fixtures.js';

const SIGNIN = '/api/auths/signin/';
const ME = '/api/auths/me/';
const bearer = (d: { access: string }) => ({ Authorization: `Bearer ${d.access}` });
const from = (ip: string) => ({ 'X-Forwarded-For': ip });
/** The `name=value` part of the device cookie a sign-in answer set. */
const signup = (api: TestApi, ip: string) =>
  api
    .http()
    .post('/api/auths/signup/')
    .set(from(ip))
    .send({ email: uniqueEmail('many'), username: 'm', password: 'password123', country: 'KR' });
const deviceCookie = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';', 1)[0];

describe('sign-in lockout a stranger cannot cause', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ TRUST_PROXY: 'true', SIGNIN_MAX_FAILURES_ACCOUNT_TOTAL: '12' });
  });
  afterAll(() => api.close());

  const signin = (d: Diver, password: string, headers: Record<string, string>) =>
    api.http().post(SIGNIN).set(headers).send({ email: d.email, password });

  it("a stranger's wrong passwords hold the stranger's address, not the owner's", async () => {
    const d = await signupAndSignin(api, 'owner');
    for (let i = 0; i < 5; i++) await signin(d, 'nope-nope', from('10.40.0.1')).expect(401);
    const stranger = await signin(d, d.password, from('10.40.0.1'));
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers['retry-after'])).toBeGreaterThan(0);
    await signin(d, d.password, from('10.40.0.2')).expect(200);
  });

  it('a distributed attack reaches the per-account limit, which does not hold a device that signed in before', async () => {
    const d = await signupAndSignin(api, 'target');
    const before = await signin(d, d.password, from('10.41.0.1')).expect(200);
    const cookie = deviceCookie(before);
    expect(String(before.headers['set-cookie'])).toMatch(
      /^device=[\w-]{22}\.[\w-]{43}; Path=\/api\/auths\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/,
    );

    // 12 failures from 12 addresses: each address stays under its own limit of 5.
    for (let i = 0; i < 12; i++) await signin(d, 'nope-nope', from(`10.42.0.${i}`)).expect(401);
    const unknownClient = await signin(d, d.password, from('10.43.0.1'));
    expect(unknownClient.status).toBe(429);
    expect(unknownClient.body.detail).toMatch(/Too many failed sign-in attempts/);

    const known = await signin(d, d.password, { ...from('10.43.0.2'), Cookie: cookie });
    expect(known.status).toBe(200);
    // A device cookie of another account, or a tampered one, is no pass.
    const other = await signupAndSignin(api, 'other');
    const otherCookie = deviceCookie(await signin(other, other.password, from('10.41.0.2')).expect(200));
    await signin(d, d.password, { ...from('10.43.0.3'), Cookie: otherCookie }).expect(429);
    await signin(d, d.password, { ...from('10.43.0.4'), Cookie: `${cookie.slice(0, -2)}AA` }).expect(429);
  });

  it('a known device still has its own failure limit', async () => {
    const d = await signupAndSignin(api, 'device');
    const cookie = deviceCookie(await signin(d, d.password, from('10.44.0.1')).expect(200));
    for (let i = 0; i < 5; i++) await signin(d, 'nope-nope', { ...from(`10.45.0.${i}`), Cookie: cookie }).expect(401);
    await signin(d, d.password, { ...from('10.45.0.9'), Cookie: cookie }).expect(429);
  });

  it('marks the device cookie Secure when the client came over https', async () => {
    const d = await signupAndSignin(api, 'https');
    const res = await signin(d, d.password, { ...from('10.46.0.1'), 'X-Forwarded-Proto': 'https' }).expect(200);
    expect(String(res.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
  });
});

describe('sign-up limit per address', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ TRUST_PROXY: 'true', SIGNUP_MAX_PER_IP: '3' });
  });
  afterAll(() => api.close());

  it('answers 429 with Retry-After past SIGNUP_MAX_PER_IP sign-ups from one address in an hour', async () => {
    for (let i = 0; i < 3; i++) await signup(api, '10.50.0.1').expect(201);
    const held = await signup(api, '10.50.0.1');
    expect(held.status).toBe(429);
    const retryAfter = Number(held.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(60);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(held.body.detail).toMatch(/Too many sign-ups/);
    await signup(api, '10.50.0.2').expect(201);
  });
});

describe('deleted accounts', () => {
  let api: TestApi;
  let db: pg.Client;
  beforeAll(async () => {
    api = await startApi({ TRUST_PROXY: 'true' });
    db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('a write by a user deleted behind the app’s back is 401 user_not_found, never 500', async () => {
    const [gone, other] = await Promise.all([signupAndSignin(api, 'gone'), signupAndSignin(api, 'other')]);
    const logbook = await createLogbook(api, other.access);
    await api.http().get(ME).set(bearer(gone)).expect(200); // the guard now holds a cached copy
    await db.query('DELETE FROM users WHERE id = $1', [gone.id]);
    const writes = [
      api.http().post(`/api/logbooks/${logbook}/comments`).set(bearer(gone)).send({ text: 'hi' }),
      api.http().post('/api/logbooks/').set(bearer(gone)).send(logbookFields()),
      api.http().post('/api/photo/').set(bearer(gone)).field('title', 'fish').attach('image', PNG, 'x.png'),
    ];
    for (const res of await Promise.all(writes)) {
      expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: { detail: 'User not found', code: 'user_not_found' } });
    }
  });

  it('DELETE me/ with the password removes the account, what it owns and its files, and its tokens stop working at once', async () => {
    const [d, other] = await Promise.all([signupAndSignin(api, 'leaver'), signupAndSignin(api, 'stays')]);
    let create = api.http().post('/api/logbooks/').set(bearer(d));
    for (const [k, v] of Object.entries(logbookFields())) create = create.field(k, String(v));
    const mine = (await create.attach('dive_image', PNG, { filename: 'a.png', contentType: 'image/png' }).expect(201)).body;
    const photo = (await api.http().post('/api/photo/').set(bearer(d)).field('title', 'fish').attach('image', PNG, 'x.png').expect(201))
      .body;
    const theirs = await createLogbook(api, other.access);
    await api.http().post(`/api/logbooks/${theirs}/comments`).set(bearer(d)).send({ text: 'bye' }).expect(201);
    await db.query('INSERT INTO likes (logbook_id, user_id, liked, version) VALUES ($1, $2, true, 1)', [theirs, d.id]);
    await db.query('UPDATE logbooks SET likes_count = 1 WHERE id = $1', [theirs]);
    const files = [new URL(mine.dive_image).pathname, new URL(photo.image_url).pathname].map((p) =>
      join(process.env.STORAGE_DIR!, p.replace(/^\/media\//, '')),
    );
    expect(files.map(existsSync)).toEqual([true, true]);
    await api.http().get(ME).set(bearer(d)).expect(200);
    await api.http().get(`/api/logbooks/${theirs}/comments`).expect(200); // cached with the comment

    const wrong = await api.http().delete(ME).set(bearer(d)).set(from('10.60.0.1')).send({ password: 'not-the-password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ password: ['Incorrect password.'] });
    await api.http().delete(ME).set(bearer(d)).send({}).expect(400);

    await api.http().delete(ME).set(bearer(d)).set(from('10.60.0.2')).send({ password: d.password }).expect(204);

    const me = await api.http().get(ME).set(bearer(d));
    expect({ status: me.status, body: me.body }).toEqual({ status: 401, body: { detail: 'User not found', code: 'user_not_found' } });
    await api.http().post('/api/auths/token/refresh/').send({ refresh: d.refresh }).expect(401);
    await api.http().post(SIGNIN).set(from('10.60.0.3')).send({ email: d.email, password: d.password }).expect(401);
    await api.http().get(`/api/logbooks/${mine.id}/`).expect(404);
    const left = await db.query(
      `SELECT (SELECT count(*) FROM logbooks WHERE user_id = $1)::int AS logbooks, (SELECT count(*) FROM photos WHERE user_id = $1)::int AS photos,
              (SELECT count(*) FROM comments WHERE author_id = $1)::int AS comments, (SELECT count(*) FROM likes WHERE user_id = $1)::int AS likes,
              (SELECT count(*) FROM refresh_tokens WHERE user_id = $1)::int AS tokens`,
      [d.id],
    );
    expect(left.rows[0]).toEqual({ logbooks: 0, photos: 0, comments: 0, likes: 0, tokens: 0 });
    expect(files.map(existsSync)).toEqual([false, false]);
    expect((await api.http().get(`/api/logbooks/${theirs}/comments`).expect(200)).body).toEqual([]);
    expect((await api.http().get(`/api/logbooks/${theirs}/`).expect(200)).body.likes_count).toBe(0);
  });

  it('wrong passwords at DELETE me/ count as failed sign-ins: no way around the lockout', async () => {
    const d = await signupAndSignin(api, 'guess');
    const attempt = (password: string) => api.http().delete(ME).set(bearer(d)).set(from('10.61.0.1')).send({ password });
    for (let i = 0; i < 5; i++) await attempt(`guess-${i}-wrong`).expect(400);
    const held = await attempt(d.password);
    expect(held.status).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    await api.http().get(ME).set(bearer(d)).expect(200);
  });
});
