import { createHmac } from 'node:crypto';
import argon2 from 'argon2';
import pg from 'pg';
import { authConfig } from '../apps/api/src/auth/auth.config.js';
import { signupAndSignin, startApi, uniqueEmail, type TestApi } from './support/api.js';

const b64url = (v: object | string) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const claims = (userId: number, extra: object = {}) => ({
  token_type: 'access',
  user_id: userId,
  jti: 'x',
  iat: Math.floor(Date.now() / 1000),
  exp: Math.floor(Date.now() / 1000) + 300,
  iss: 'scoopadive',
  aud: 'scoopadive-api',
  ...extra,
});
const hs256 = (payload: object, secret: string) => {
  const head = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
};

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const from = (i: number) => ({ 'X-Forwarded-For': `10.1.0.${i}` });

describe('auth (e2e)', () => {
  let api: TestApi;
  /** The key this app signs with (generated for the run): the cases below must fail for their flaw alone. */
  let secret: string;
  beforeAll(async () => {
    api = await startApi({ TRUST_PROXY: 'true' });
    secret = api.app.get<{ JWT_SECRET: string }>(authConfig.KEY).JWT_SECRET;
  });
  afterAll(() => api.close());

  describe('signup', () => {
    it('creates an account and answers the original shape, without the password', async () => {
      const email = uniqueEmail();
      const res = await api.http().post('/api/auths/signup/').send({ email, username: 'diver', password: 'password123', country: 'KR' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(Number), email, username: 'diver', country: 'KR' });
    });

    it('rejects a duplicate email, whatever its case', async () => {
      const email = uniqueEmail();
      const body = { email, username: 'a', password: 'password123', country: 'KR' };
      await api.http().post('/api/auths/signup/').send(body).expect(201);
      const res = await api
        .http()
        .post('/api/auths/signup/')
        .send({ ...body, email: email.toUpperCase() });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ email: ['user with this email id already exists.'] });
    });

    it('rejects a short password, missing fields and unknown fields, naming them', async () => {
      const short = await api
        .http()
        .post('/api/auths/signup/')
        .send({ email: uniqueEmail(), username: 'a', password: 'short', country: 'KR' });
      expect(short.status).toBe(400);
      expect(short.body.password).toContain('Ensure this field has at least 8 characters.');

      const missing = await api.http().post('/api/auths/signup/').send({ email: uniqueEmail() });
      expect(missing.status).toBe(400);
      expect(Object.keys(missing.body).toSorted()).toEqual(['country', 'password', 'username']);

      const extra = await api
        .http()
        .post('/api/auths/signup/')
        .send({ email: uniqueEmail(), username: 'a', password: 'password123', country: 'KR', is_staff: true });
      expect(extra.status).toBe(400);
      expect(extra.body).toEqual({ is_staff: ['Unknown field "is_staff".'] });
    });

    it('answers malformed JSON and non-object bodies with a 400 and a message', async () => {
      const bad = await api.http().post('/api/auths/signup/').set('Content-Type', 'application/json').send('{"email":');
      expect(bad.status).toBe(400);
      expect(bad.body.detail).toMatch(/JSON/);
      const arr = await api.http().post('/api/auths/signup/').send([1, 2]);
      expect(arr.status).toBe(400);
      expect(arr.body.detail).toBe('Expected a JSON object as the request body.');
    });
  });

  describe('signin, refresh, logout, me', () => {
    it('signs in with the original shape and rejects a wrong password or unknown email alike', async () => {
      const d = await signupAndSignin(api);
      const ok = await api.http().post('/api/auths/signin/').send({ email: d.email, password: d.password });
      expect(ok.status).toBe(200);
      expect(Object.keys(ok.body)).toEqual(['refresh', 'access', 'id', 'email', 'username', 'country']);
      const payload = JSON.parse(Buffer.from(ok.body.access.split('.')[1], 'base64url').toString());
      expect(payload).toMatchObject({ token_type: 'access', user_id: d.id, iss: 'scoopadive', aud: 'scoopadive-api' });
      expect(payload.exp - payload.iat).toBe(300);

      const wrong = await api.http().post('/api/auths/signin/').send({ email: d.email, password: 'wrong-password' });
      const unknown = await api.http().post('/api/auths/signin/').send({ email: uniqueEmail(), password: 'wrong-password' });
      for (const res of [wrong, unknown]) {
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ detail: 'No active account found with the given credentials' });
      }
    });

    it('GET me returns the caller with a token and 401 with WWW-Authenticate without one', async () => {
      const d = await signupAndSignin(api, 'me');
      const res = await api.http().get('/api/auths/me/').set('Authorization', `Bearer ${d.access}`).expect(200);
      expect(res.body).toEqual({
        id: d.id,
        email: d.email,
        username: 'me',
        country: 'KR',
        license: null,
        introduction: null,
        profile_image: null,
        date_joined: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      const anon = await api.http().get('/api/auths/me/');
      expect(anon.status).toBe(401);
      expect(anon.headers['www-authenticate']).toBe('Bearer realm="api"');
      expect(anon.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    });

    it('refresh gives a working access token; garbage and access tokens are refused', async () => {
      const d = await signupAndSignin(api);
      const res = await api.http().post('/api/auths/token/refresh/').send({ refresh: d.refresh }).expect(200);
      expect(Object.keys(res.body)).toEqual(['access']);
      await api.http().get('/api/auths/me/').set('Authorization', `Bearer ${res.body.access}`).expect(200);

      for (const refresh of ['garbage', d.access]) {
        const bad = await api.http().post('/api/auths/token/refresh/').send({ refresh });
        expect(bad.status).toBe(401);
        expect(bad.body).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
      }
    });

    it('logout revokes the caller’s own refresh token only', async () => {
      const a = await signupAndSignin(api, 'a');
      const b = await signupAndSignin(api, 'b');

      const foreign = await api.http().post('/api/auths/logout/').set(auth(a.access)).send({ refresh: b.refresh });
      expect(foreign.status).toBe(403);
      await api.http().post('/api/auths/token/refresh/').send({ refresh: b.refresh }).expect(200);

      const missing = await api.http().post('/api/auths/logout/').set(auth(a.access)).send({});
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ detail: 'Refresh token required.' });
      await api.http().post('/api/auths/logout/').send({ refresh: a.refresh }).expect(401);

      const out = await api.http().post('/api/auths/logout/').set(auth(a.access)).send({ refresh: a.refresh });
      expect(out.status).toBe(205);
      const after = await api.http().post('/api/auths/token/refresh/').send({ refresh: a.refresh });
      expect(after.status).toBe(401);
      expect(after.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
    });
  });

  describe('tokens the guard must refuse', () => {
    let diver: Awaited<ReturnType<typeof signupAndSignin>>;
    beforeAll(async () => {
      diver = await signupAndSignin(api, 'jwt');
    });

    const cases: Array<[string, () => string]> = [
      ['alg:none', () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims(diver.id))}.`],
      ['signed with another key', () => hs256(claims(diver.id), 'another-secret-another-secret-another-secret')],
      ['expired', () => hs256(claims(diver.id, { exp: Math.floor(Date.now() / 1000) - 10 }), secret)],
      ['wrong issuer', () => hs256(claims(diver.id, { iss: 'someone-else' }), secret)],
      ['wrong audience', () => hs256(claims(diver.id, { aud: 'another-api' }), secret)],
      ['no exp (would never expire)', () => hs256({ ...claims(diver.id), exp: undefined }, secret)],
      ['a refresh token', () => diver.refresh],
      [
        'tampered payload',
        () => {
          const [h, , s] = diver.access.split('.');
          return `${h}.${b64url(claims(diver.id + 1))}.${s}`;
        },
      ],
    ];
    it.each(cases)('%s → 401, on a private and on a public route', async (_, token) => {
      for (const req of [api.http().get('/api/auths/me/'), api.http().post('/api/auths/signup/').send({})]) {
        const res = await req.set('Authorization', `Bearer ${token()}`);
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('token_not_valid');
      }
    });

    it('accepts a well-formed token signed with our key (the cases above fail for their flaw alone)', async () => {
      await api
        .http()
        .get('/api/auths/me/')
        .set('Authorization', `Bearer ${hs256(claims(diver.id), secret)}`)
        .expect(200);
    });

    it('accepts extra whitespace around the token, as simplejwt does', async () => {
      await api.http().get('/api/auths/me/').set('Authorization', `Bearer   ${diver.access} `).expect(200);
    });

    it('treats another scheme as anonymous, like the original', async () => {
      await api.http().get('/api/auths/me/').set('Authorization', `Token ${diver.access}`).expect(401);
      await api.http().get('/health').set('Authorization', `Token ${diver.access}`).expect(200);
    });
  });

  describe('sign-in rate limiting', () => {
    it('locks an account for one address after 5 failures with 429 and Retry-After, even for the right password', async () => {
      const d = await signupAndSignin(api, 'brute');
      for (let i = 0; i < 5; i++) {
        await api.http().post('/api/auths/signin/').set(from(0)).send({ email: d.email, password: 'nope-nope' }).expect(401);
      }
      const locked = await api.http().post('/api/auths/signin/').set(from(0)).send({ email: d.email, password: d.password });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(locked.body.detail).toMatch(/Too many failed sign-in attempts/);
    });

    it('locks an IP after 20 failures across accounts; other IPs still sign in', async () => {
      const ip = { 'X-Forwarded-For': '10.2.0.1' };
      for (let i = 0; i < 20; i++) {
        await api
          .http()
          .post('/api/auths/signin/')
          .set(ip)
          .send({ email: uniqueEmail('nobody'), password: 'nope-nope' })
          .expect(401);
      }
      const d = await signupAndSignin(api, 'victim');
      await api.http().post('/api/auths/signin/').set(ip).send({ email: d.email, password: d.password }).expect(429);
      await api
        .http()
        .post('/api/auths/signin/')
        .set({ 'X-Forwarded-For': '10.2.0.2' })
        .send({ email: d.email, password: d.password })
        .expect(200);
    });

    it('holds under parallel attempts: no more than 5 wrong passwords are even checked', async () => {
      const d = await signupAndSignin(api, 'parallel');
      const results = await Promise.all(
        Array.from({ length: 30 }, () =>
          api.http().post('/api/auths/signin/').set({ 'X-Forwarded-For': '10.4.0.1' }).send({ email: d.email, password: 'nope-nope' }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    });

    it('takes the client address from the nearest proxy only: a forged left-most entry changes nothing', async () => {
      const d = await signupAndSignin(api, 'forge');
      for (let i = 0; i < 20; i++) {
        await api
          .http()
          .post('/api/auths/signin/')
          .set({ 'X-Forwarded-For': `6.6.6.${i}, 10.5.0.1` })
          .send({ email: uniqueEmail('nobody'), password: 'nope-nope' })
          .expect(401);
      }
      await api
        .http()
        .post('/api/auths/signin/')
        .set({ 'X-Forwarded-For': '7.7.7.7, 10.5.0.1' })
        .send({ email: d.email, password: d.password })
        .expect(429);
    });

    it('does not throttle successful sign-ins of one IP', async () => {
      const d = await signupAndSignin(api, 'busy');
      const ip = { 'X-Forwarded-For': '10.3.0.1' };
      for (let i = 0; i < 30; i++) {
        await api.http().post('/api/auths/signin/').set(ip).send({ email: d.email, password: d.password }).expect(200);
      }
    });
  });

  it('redoes a password hash of another argon2id cost at the next sign-in, once', async () => {
    const d = await signupAndSignin(api, 'rehash');
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const stored = async () => (await db.query('SELECT password FROM users WHERE id = $1', [d.id])).rows[0].password as string;
    try {
      expect(await stored()).toMatch(/^\$argon2id\$v=19\$m=7168,p=1,t=5\$/);
      const older = await argon2.hash(d.password, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
      await db.query('UPDATE users SET password = $2 WHERE id = $1', [d.id, older]);

      await api.http().post('/api/auths/signin/').send({ email: d.email, password: d.password }).expect(200);
      const redone = await stored();
      expect(redone).toMatch(/^\$argon2id\$v=19\$m=7168,p=1,t=5\$/);
      expect(await argon2.verify(redone, d.password)).toBe(true);

      await api.http().post('/api/auths/signin/').send({ email: d.email, password: d.password }).expect(200);
      expect(await stored()).toBe(redone);
      await api.http().post('/api/auths/signin/').send({ email: d.email, password: 'wrong-password' }).expect(401);
      expect(await stored()).toBe(redone);
    } finally {
      await db.end();
    }
  });

  it('refuses a new access token to a deactivated user at once, even while the guard cache is warm', async () => {
    const d = await signupAndSignin(api, 'gone');
    await api.http().get('/api/auths/me/').set('Authorization', `Bearer ${d.access}`).expect(200);
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      await db.query('UPDATE users SET is_active = false WHERE id = $1', [d.id]);
    } finally {
      await db.end();
    }
    const res = await api.http().post('/api/auths/token/refresh/').send({ refresh: d.refresh });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('user_not_found');
  });

  it('an authenticated request after the first issues no SQL for the user lookup', async () => {
    const d = await signupAndSignin(api, 'cached');
    const me = () => api.http().get('/api/auths/me/').set('Authorization', `Bearer ${d.access}`).expect(200);
    await me();
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    try {
      await me();
      await me();
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    // The spy does see the pool's queries: a request that must read the database is counted.
    const seen = vi.spyOn(pg.Client.prototype, 'query');
    try {
      await api
        .http()
        .post('/api/auths/signup/')
        .send({ email: d.email, username: 'x', password: 'password123', country: 'KR' })
        .expect(400);
      expect(seen).toHaveBeenCalled();
    } finally {
      seen.mockRestore();
    }
  });
});

describe('refresh rotation with reuse detection (JWT_REFRESH_ROTATION=true)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ JWT_REFRESH_ROTATION: 'true' });
  });
  afterAll(() => api.close());

  it('rotates, and a replayed token revokes its whole family', async () => {
    const d = await signupAndSignin(api, 'rot');
    const first = await api.http().post('/api/auths/token/refresh/').send({ refresh: d.refresh }).expect(200);
    expect(Object.keys(first.body).toSorted()).toEqual(['access', 'refresh']);

    const replay = await api.http().post('/api/auths/token/refresh/').send({ refresh: d.refresh });
    expect(replay.status).toBe(401);
    // The thief's replay also killed the legitimate holder's newer token.
    await api.http().post('/api/auths/token/refresh/').send({ refresh: first.body.refresh }).expect(401);
  });
});
