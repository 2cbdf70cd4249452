import type pg from 'pg';
import { bearer, type Diver, type TestApi } from '../support/api.js';
import { requestsTo, type Res, type Send, startSecurityWorld } from '../support/security.js';

const MYPAGE = '/api/mypage/';
const JOBS = '/api/home/jobs/';
const PREFERENCES = '/api/settings/preferences/';

/**
 * The authorization matrix of what divers keep besides their dives: another user and an anonymous
 * caller on a user's profile, buddies, bucket list, skills, job post and preferences.
 */
describe('security: authorization matrix, divers and community (e2e)', () => {
  let api: TestApi;
  let db: pg.Client;
  let alice: Diver;
  let bob: Diver;
  let close: () => Promise<void>;
  const { call, multipart } = requestsTo(() => api);

  let bucket: number;
  let skill: number;
  let job: number;
  let preferences: number;

  beforeAll(async () => {
    ({ api, db, alice, bob, close } = await startSecurityWorld());
    const as = bearer(alice);
    bucket = (await call('post', `${MYPAGE}bucketlists/`, { title: 'Sipadan' })(as).expect(201)).body.id;
    skill = (await call('post', `${MYPAGE}myskills/`, { skill: 'Deep' })(as).expect(201)).body.id;
    job = (await call('post', JOBS, { title: 'Divemaster wanted', location: 'Jeju' })(as).expect(201)).body.id;
    preferences = (await call('post', PREFERENCES, { residence: 'Seoul' })(as).expect(201)).body.id;
  });
  afterAll(() => close?.());

  /** What must not move, read from Postgres. */
  const stored = async () =>
    (
      await db.query(
        `SELECT (SELECT row_to_json(u) FROM users u WHERE id = $1) AS alice,
                (SELECT row_to_json(b) FROM bucket_lists b WHERE id = $2) AS bucket,
                (SELECT row_to_json(s) FROM skill_sets s WHERE id = $3) AS skill,
                (SELECT row_to_json(j) FROM jobs j WHERE id = $4) AS job,
                (SELECT row_to_json(p) FROM preferences p WHERE id = $5) AS preferences,
                (SELECT count(*) FROM friends WHERE user_id = $1 OR friend_id = $1) AS buddies,
                (SELECT count(*) FROM bucket_lists WHERE user_id = $1) AS buckets`,
        [alice.id, bucket, skill, job, preferences],
      )
    ).rows[0];

  it("gives another user and an anonymous caller 0 successes on a user's profile, lists, post and survey", async () => {
    const before = await stored();
    const B = `${MYPAGE}bucketlists/${bucket}/`;
    const S = `${MYPAGE}myskills/${skill}/`;
    const J = `${JOBS}${job}/`;
    const P = `${PREFERENCES}${preferences}/`;
    const E = `${MYPAGE}edit_profile/${alice.id}/`;
    // [what, status for an anonymous caller, status for Bob]. Another user's private row is 404: it is
    // indistinguishable from one that does not exist; a public one (a job post, a profile) is 403.
    const attempts: Array<[string, number, number, Send]> = [
      ['PUT profile (JSON)', 401, 403, call('put', E, { username: 'taken' })],
      ['PATCH profile (JSON)', 401, 403, call('patch', E, { introduction: 'taken' })],
      ['PATCH profile (multipart image)', 401, 403, multipart('patch', E, { introduction: 'x' }, 'profile_image')],
      ['GET bucket list item', 401, 404, call('get', B)],
      ['PUT bucket list item', 401, 404, call('put', B, { title: 'taken' })],
      ['PATCH bucket list item', 401, 404, call('patch', B, { title: 'taken' })],
      ['DELETE bucket list item', 401, 404, call('delete', B)],
      ['POST bucket list item for them', 401, 400, call('post', `${MYPAGE}bucketlists/`, { title: 'x', user: alice.id })],
      ['GET skill', 401, 404, call('get', S)],
      ['PUT skill', 401, 404, call('put', S, { skill: 'taken' })],
      ['PATCH skill', 401, 404, call('patch', S, { skill: 'taken' })],
      ['DELETE skill', 401, 404, call('delete', S)],
      ['POST skill for them', 401, 400, call('post', `${MYPAGE}myskills/`, { skill: 'x', user: alice.id })],
      ['PUT job post', 401, 403, call('put', J, { title: 'taken' })],
      ['PATCH job post', 401, 403, call('patch', J, { title: 'taken' })],
      ['DELETE job post', 401, 403, call('delete', J)],
      ['GET preferences', 401, 404, call('get', P)],
      ['PUT preferences', 401, 404, call('put', P, { residence: 'taken' })],
      ['PATCH preferences', 401, 404, call('patch', P, { residence: 'taken' })],
      ['DELETE preferences', 401, 404, call('delete', P)],
      ['DELETE buddy they never had', 401, 404, call('delete', `${MYPAGE}friends/detail/${alice.id}/`)],
      ['DELETE account with a wrong password', 401, 400, call('delete', '/api/auths/me/', { password: 'not-the-password' })],
    ];
    const outcomes: Array<{ what: string; expected: number; res: Res }> = [];
    for (const [what, anonymous, other, send] of attempts) {
      outcomes.push({ what: `anonymous: ${what}`, expected: anonymous, res: await send() });
      outcomes.push({ what: `other user: ${what}`, expected: other, res: await send(bearer(bob)) });
    }
    const successes = outcomes.filter((o) => o.res.status < 300).length;
    console.log(
      `authorization matrix (divers and community): ${outcomes.length} requests by another user/anonymous on a user's profile, ` +
        `bucket list, skills, job post, preferences and buddies; ${successes} successes`,
    );
    const wrong = outcomes.filter((o) => o.res.status !== o.expected);
    expect(wrong.map((o) => ({ what: o.what, expected: o.expected, got: o.res.status, body: o.res.body }))).toEqual([]);
    expect(successes).toBe(0);
    expect(outcomes.filter((o) => Object.keys(o.res.body ?? {}).length === 0).map((o) => o.what)).toEqual([]);
    // Another user's private row reads exactly like a missing one.
    const missing = await call('get', `${MYPAGE}bucketlists/999999999/`)(bearer(bob)).expect(404);
    expect(outcomes.find((o) => o.what === 'other user: GET bucket list item')?.res.body).toEqual(missing.body);
    // Nothing moved, and Bob's account survived his own attempt with a wrong password.
    expect(await stored()).toEqual(before);
    await call('get', '/api/auths/me/')(bearer(bob)).expect(200);
  });

  it("lists only the caller's own bucket list, skills and preferences", async () => {
    for (const list of [`${MYPAGE}bucketlists/`, `${MYPAGE}myskills/`, PREFERENCES]) {
      const res = await call('get', list)(bearer(bob)).expect(200);
      expect(res.body.results.map((r: { user: number }) => r.user).filter((u: number) => u !== bob.id)).toEqual([]);
    }
  });
});
