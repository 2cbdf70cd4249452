import type pg from 'pg';
import { bearer, type Diver, type TestApi } from '../support/api.js';
import { createLogbook, logbookFields } from '../support/fixtures.js';
import {
  CLASSIFY,
  claimsOf,
  LOGBOOKS,
  LOGOUT,
  ME,
  MINE,
  path,
  PHOTOS,
  requestsTo,
  type Res,
  type Send,
  startSecurityWorld,
} from '../support/security.js';

/**
 * Who may touch whose data: another user and an anonymous caller on a user's logbook, comment, photo, upload
 * and token, and what stays public by design.
 */
describe('security: authorization matrix (e2e)', () => {
  let api: TestApi;
  let db: pg.Client;
  let alice: Diver;
  let bob: Diver;
  let close: () => Promise<void>;
  const { call, multipart, presign, putFile, createPhoto } = requestsTo(() => api);

  beforeAll(async () => {
    ({ api, db, alice, bob, close } = await startSecurityWorld());
  });
  afterAll(() => close?.());

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
      for (const h of [{}, bearer(bob)]) {
        const res = await api.http().get(url).set(h);
        expect({ url, status: res.status }).toEqual({ url, status: 200 });
      }
    }
    await call('get', `${LOGBOOKS}${logbook}/like/`)(bearer(bob)).expect(200);
    console.log(`authorization matrix: ${reads.length * 2 + 1} public reads allowed by design (logbooks, comments, likes, media)`);
  });
});
