import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { JwtService, type JwtSignOptions } from '@nestjs/jwt';
import { bearer, type Diver, signupAndSignin, type TestApi } from '../support/api.js';
import { createLogbook } from '../support/fixtures.js';
import {
  b64url,
  CLASSIFY,
  claimsOf,
  LOGBOOKS,
  LOGOUT,
  ME,
  MINE,
  PHOTOS,
  REFRESH,
  requestsTo,
  type Send,
  SIGNIN,
  startSecurityWorld,
} from '../support/security.js';

const now = () => Math.floor(Date.now() / 1000);
const OTHER_KEY = 'another-key-another-key-another-key-another-key';
const unsigned = (token: string) => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claimsOf(token))}.`;

/**
 * Which tokens are refused: forged, expired, misdirected, wrong-type and orphaned ones, on every kind of
 * route and at token refresh, and what refresh rotation does with a stolen token.
 */
describe('security: JWT (e2e)', () => {
  let api: TestApi;
  let db: pg.Client;
  let alice: Diver;
  let bob: Diver;
  let close: () => Promise<void>;
  const { call } = requestsTo(() => api);

  beforeAll(async () => {
    ({ api, db, alice, bob, close } = await startSecurityWorld());
  });
  afterAll(() => close?.());

  let jwt: JwtService;
  let gone: Diver;
  let L: string;
  const access = (over: object = {}) => ({
    token_type: 'access',
    user_id: alice.id,
    username: 'alice',
    jti: randomUUID(),
    ...over,
  });
  const refresh = (over: object = {}) => ({
    token_type: 'refresh',
    user_id: alice.id,
    jti: randomUUID(),
    fam: randomUUID(),
    ...over,
  });
  /** Signed with the app's own key, issuer and audience unless `options` says otherwise. */
  const sign = (claims: object, options: JwtSignOptions = {}) => jwt.sign(claims, { expiresIn: 300, ...options });
  const exchange = (token: string) => call('post', REFRESH, { refresh: token })();

  beforeAll(async () => {
    jwt = api.app.get(JwtService);
    L = `${LOGBOOKS}${await createLogbook(api, alice.access)}/`;
    // Warm cached views, so bad tokens meet the cache-hit path as well as Nest's guard.
    for (const [url, h] of [[L], [LOGBOOKS], [MINE, bearer(alice)], [PHOTOS, bearer(alice)]] as const) {
      for (const _ of [1, 2]) await call('get', url)(h).expect(200);
    }
    // Deleted before any authenticated request, so no cached copy of the user can answer for it.
    gone = await signupAndSignin(api, 'gone');
    await db.query('DELETE FROM users WHERE id = $1', [gone.id]);
  });

  it('refuses forged, expired, misdirected, wrong-type and orphaned access tokens on every kind of route', async () => {
    const tokens: Array<[string, string]> = [
      ['alg:none', unsigned(alice.access)],
      ['signed with another key', sign(access(), { secret: OTHER_KEY })],
      ['HS512 with our key', sign(access(), { algorithm: 'HS512' })],
      ['expired', jwt.sign(access({ iat: now() - 600, exp: now() - 300 }))],
      ['wrong issuer', sign(access(), { issuer: 'someone-else' })],
      ['wrong audience', sign(access(), { audience: 'another-api' })],
      ['a refresh token', alice.refresh],
      ["a deleted user's", gone.access],
      ['a user that never existed', sign(access({ user_id: 999_999_999_999 }))],
      ['not a JWT', 'not.a.jwt'],
    ];
    const routes: Array<[string, Send]> = [
      ['GET me', call('get', ME)],
      ['GET logbooks (public)', call('get', LOGBOOKS)],
      ['GET logbook (public)', call('get', L)],
      ['GET my_logbooks', call('get', MINE)],
      ['GET photos', call('get', PHOTOS)],
      ['PATCH logbook', call('patch', L, { feeling: 'forged' })],
      ['POST like', call('post', `${L}like/`)],
      ['POST comment', call('post', `${L}comments`, { text: 'forged' })],
      ['POST batch classify', call('post', CLASSIFY, { photo_ids: [1] })],
      ['POST logout', call('post', LOGOUT, { refresh: alice.refresh })],
    ];
    const wrong: string[] = [];
    for (const [kind, token] of tokens) {
      for (const [route, send] of routes) {
        const res = await send({ Authorization: `Bearer ${token}` });
        const refused =
          res.status === 401 &&
          typeof res.body.detail === 'string' &&
          ['token_not_valid', 'user_not_found'].includes(res.body.code) &&
          res.headers['www-authenticate'] === 'Bearer realm="api"';
        if (!refused) wrong.push(`${kind} on ${route}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    const total = tokens.length * routes.length;
    console.log(
      `JWT: ${tokens.length} kinds of bad access token × ${routes.length} routes = ${total} requests, ${wrong.length} not refused with 401`,
    );
    expect(wrong).toEqual([]);
    expect((await call('get', ME)(bearer(gone))).body).toEqual({
      detail: 'User not found',
      code: 'user_not_found',
    });
    // Each case fails for its flaw alone: the same claims, well signed, are accepted.
    await call('get', ME)({ Authorization: `Bearer ${sign(access())}` }).expect(200);
  });

  it('refuses at token/refresh/ anything but a live refresh token it issued itself', async () => {
    const cases: Array<[string, string]> = [
      ['alg:none', unsigned(alice.refresh)],
      ['signed with another key', sign(refresh(), { secret: OTHER_KEY })],
      ['expired', jwt.sign(refresh({ iat: now() - 7200, exp: now() - 3600 }))],
      ['well signed but never issued', sign(refresh())],
      ['an access token', alice.access],
      ["a deleted user's", gone.refresh],
    ];
    for (const [kind, token] of cases) {
      const res = await call('post', REFRESH, { refresh: token })();
      expect({ kind, status: res.status, body: res.body }).toEqual({
        kind,
        status: 401,
        body: {
          detail: 'Token is invalid or expired',
          code: 'token_not_valid',
        },
      });
    }
    console.log(`JWT: ${cases.length} bad refresh tokens → ${cases.length} × 401`);
  });

  it('with rotation on, a token the thief used first still dies when its owner comes back, and only its family', async () => {
    const dan = await signupAndSignin(api, 'dan');
    const signin = () =>
      call('post', SIGNIN, {
        email: dan.email,
        password: dan.password,
      })().expect(200);
    const laptop = await signin();

    const owner = await exchange(dan.refresh).expect(200);
    const thief = await exchange(owner.body.refresh).expect(200);
    const back = await exchange(owner.body.refresh);
    expect(back.status).toBe(401);
    expect(back.body).toEqual({
      detail: 'Token is blacklisted',
      code: 'token_not_valid',
    });
    expect((await exchange(thief.body.refresh)).status).toBe(401);
    expect((await exchange(dan.refresh)).status).toBe(401);
    // Dan's other sign-in is another family, and other users are untouched.
    await exchange(laptop.body.refresh).expect(200);
    bob.refresh = (await exchange(bob.refresh).expect(200)).body.refresh;

    // Two refreshes racing with one token: one rotation, never two live successors.
    const racer = await signin();
    const race = await Promise.all([exchange(racer.body.refresh), exchange(racer.body.refresh)]);
    expect(race.map((r) => r.status).toSorted()).toEqual([200, 401]);
    console.log(
      'JWT: refresh rotation: a replay after theft revoked all 3 tokens of its family, 2 other families alive; 1 of 2 racing refreshes won',
    );
  });
});
