import type pg from 'pg';
import { bearer, type Diver, type TestApi, uniqueEmail } from '../support/api.js';
import { createLogbook, logbookFields } from '../support/fixtures.js';
import {
  CLASSIFY,
  LOGBOOKS,
  LOGOUT,
  type Method,
  PHOTOS,
  REFRESH,
  requestsTo,
  type Send,
  SIGNIN,
  SIGNUP,
  startSecurityWorld,
} from '../support/security.js';

/**
 * Which body fields are refused: unknown and server-owned fields on every write DTO, prototype pollution,
 * and query parameters as a side door.
 */
describe('security: mass assignment (e2e)', () => {
  let api: TestApi;
  let db: pg.Client;
  let alice: Diver;
  let bob: Diver;
  let close: () => Promise<void>;
  const { call, multipart, createPhoto } = requestsTo(() => api);

  beforeAll(async () => {
    ({ api, db, alice, bob, close } = await startSecurityWorld());
  });
  afterAll(() => close?.());

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
