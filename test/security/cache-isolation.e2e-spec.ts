import type pg from 'pg';
import { ViewCache } from '@app/cache';
import { bearer, signupAndSignin, type TestApi } from '../support/api.js';
import { createLogbook } from '../support/fixtures.js';
import { type Headers, idsOf, LOGBOOKS, MINE, PHOTOS, requestsTo, type Res, startSecurityWorld } from '../support/security.js';

/** Per-user cache entries: no user is ever served what another sees. */
describe('security: per-user cache entries (e2e)', () => {
  let api: TestApi;
  let db: pg.Client;
  let close: () => Promise<void>;
  const { call, createPhoto } = requestsTo(() => api);

  beforeAll(async () => {
    ({ api, db, close } = await startSecurityWorld());
  });
  afterAll(() => close?.());

  it('never serves one user what another sees, on a miss, on a hit, and under concurrent misses', async () => {
    const [carol, dan] = await Promise.all([signupAndSignin(api, 'carol'), signupAndSignin(api, 'dan')]);
    // Far in the future, so it heads the feed whatever else this run's database holds.
    const shared = await createLogbook(api, carol.access, {
      dive_date: '2100-01-01',
    });
    const carolOwn = [shared, await createLogbook(api, carol.access, { dive_date: '2020-01-01' })].toSorted();
    const danOwn = [await createLogbook(api, dan.access, { dive_date: '2020-01-02' })];
    const carolPhotos = [(await createPhoto(carol)).id, (await createPhoto(carol)).id].toSorted();
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
    // A forged Host is refused before anything is cached or linked under it.
    const forged = await call('get', `${LOGBOOKS}?page_size=1`)({ Host: 'evil.example' }).expect(400);
    expect(forged.body).toEqual({ detail: 'Invalid Host header.' });
    const honest = await call('get', `${LOGBOOKS}?page_size=1`)().expect(200);
    expect(honest.body.next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    requests += 5;
    console.log(
      `cache: ${views.length} per-user views × 3 viewers (miss, hit, concurrent misses, foreign ETag, forged Host): ` +
        `${requests} requests, 0 cross-user bodies`,
    );
  });
});
