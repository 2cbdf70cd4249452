import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createConsumer } from '../apps/consumer/src/consumer.factory.js';
import { type Diver, signupAndSignin, startApi, type TestApi } from './support/api.js';
import { EmailAudit } from './support/email-audit.js';
import { createLogbook } from './support/fixtures.js';
import { waitFor } from './support/likes-model.js';

const JOB_FIELDS = ['id', 'title', 'location', 'description', 'created_at', 'user'];
const auth = (d: Diver) => `Bearer ${d.access}`;
const tag = () => `c${randomBytes(4).toString('hex')}`;

describe('community: home stats and the job board (e2e)', () => {
  let raw: TestApi;
  let api: TestApi;
  let db: pg.Client;
  let consumer: NestFastifyApplication;
  let author: Diver;
  let other: Diver;
  let audit: EmailAudit;
  const divers: Diver[] = [];
  const diver = async (name = tag()) => {
    const d = await signupAndSignin(raw, name);
    divers.push(d);
    return d;
  };

  beforeAll(async () => {
    raw = await startApi();
    audit = new EmailAudit(raw);
    api = audit.watch(() => divers);
    db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    consumer = await createConsumer();
    author = await diver('author');
    other = await diver('other');
  });
  afterAll(async () => {
    await db?.query('DELETE FROM users WHERE id = ANY($1)', [divers.map((d) => d.id)]);
    await db?.end();
    await consumer?.close();
    await raw?.close();
  });

  /** What the rankings must be, computed here from the raw rows. */
  const expected = async () => {
    const users = (await db.query('SELECT id, username FROM users WHERE is_active')).rows;
    const books = (await db.query('SELECT user_id, dive_site, likes_count FROM logbooks')).rows;
    const totals = new Map<number, number>(users.map((u) => [u.id, 0]));
    const sites = new Map<string, number>();
    for (const b of books) {
      if (totals.has(b.user_id)) totals.set(b.user_id, totals.get(b.user_id)! + b.likes_count);
      sites.set(b.dive_site, (sites.get(b.dive_site) ?? 0) + 1);
    }
    const members = users
      .map((u) => ({ ...u, total: totals.get(u.id)! }))
      .toSorted((a, b) => b.total - a.total || a.id - b.id)
      .slice(0, 3)
      .map((u) => [u.username, u.total]);
    const spots = [...sites]
      .toSorted((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 3)
      .map(([site, n]) => [site, n]);
    return { members, spots };
  };
  const stats = async () => ({
    members: (await api.http().get('/api/home/top_level_members').expect(200)).body,
    spots: (await api.http().get('/api/home/the_most_visited_spots').expect(200)).body,
  });
  const insertLogbooks = (userId: number, site: string, n: number, likes: number) =>
    db.query(
      `INSERT INTO logbooks (user_id, dive_title, dive_site, dive_date, max_depth, bottom_time_seconds, weight, start_pressure,
                             end_pressure, likes_count)
       SELECT $1, 'stats', $2, '2024-01-01', 10, 600, 4, 200, 50, $4 FROM generate_series(1, $3)`,
      [userId, site, n, likes],
    );

  const post = (d: Diver, body: object) => api.http().post('/api/home/jobs/').set('Authorization', auth(d)).send(body);

  describe('jobs', () => {
    it('creates a post as the caller, in the original shape, by JSON and by multipart', async () => {
      const res = await post(author, { title: 'Divemaster wanted', location: 'Jeju', description: 'Summer season' }).expect(201);
      expect(Object.keys(res.body)).toEqual(JOB_FIELDS);
      expect(res.body).toMatchObject({ title: 'Divemaster wanted', location: 'Jeju', description: 'Summer season', user: author.id });
      expect(res.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      const form = await api
        .http()
        .post('/api/home/jobs/')
        .set('Authorization', auth(author))
        .field('title', 'Boat crew')
        .field('location', 'Busan')
        .expect(201);
      expect(form.body).toMatchObject({ title: 'Boat crew', location: 'Busan', description: null, user: author.id });
    });

    it('refuses bad input with 400s naming the field, the server-set fields included', async () => {
      const cases: Array<[object, string]> = [
        [{}, 'title'],
        [{ title: '' }, 'title'],
        [{ title: 'x'.repeat(101) }, 'title'],
        [{ title: 7 }, 'title'],
        [{ title: 'ok', location: 'x'.repeat(101) }, 'location'],
        [{ title: 'ok', description: 'x'.repeat(5_001) }, 'description'],
        [{ title: 'ok', user: other.id }, 'user'],
        [{ title: 'ok', id: 1 }, 'id'],
        [{ title: 'ok', created_at: '2020-01-01T00:00:00Z' }, 'created_at'],
        [{ title: 'ok', salary: 'lots' }, 'salary'],
      ];
      for (const [body, field] of cases) {
        const res = await post(author, body);
        expect({ body, status: res.status, errors: res.body }).toMatchObject({ status: 400, errors: { [field]: expect.any(Array) } });
      }
      await post(author, { title: 'x'.repeat(100), location: 'y'.repeat(100), description: 'z'.repeat(5_000) }).expect(201);
      await api.http().post('/api/home/jobs/').send({ title: 'anonymous' }).expect(401);
    });

    it('lists newest first, paginated as the original, and serves one post, to anonymous callers', async () => {
      const ids: number[] = [];
      for (const title of ['first', 'second', 'third']) ids.push((await post(other, { title }).expect(201)).body.id);
      const page = await api.http().get('/api/home/jobs/?page_size=2').expect(200);
      expect(Object.keys(page.body)).toEqual(['count', 'next', 'previous', 'results']);
      expect(page.body.results.map((j: { id: number }) => j.id)).toEqual([ids[2], ids[1]]);
      expect(page.body.next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/home\/jobs\/\?page_size=2&page=2$/);
      expect(page.body.previous).toBeNull();
      const second = await api
        .http()
        .get(new URL(page.body.next).pathname + new URL(page.body.next).search)
        .expect(200);
      expect(second.body.results[0].id).toBe(ids[0]);
      expect(second.body.previous).toMatch(/\/api\/home\/jobs\/\?page_size=2$/);
      const all = await api.http().get('/api/home/jobs/').expect(200);
      expect(all.body.count).toBeGreaterThanOrEqual(3);
      expect(all.body.results.length).toBeLessThanOrEqual(10);
      await api.http().get('/api/home/jobs/?page=9999').expect(404);

      const one = await api.http().get(`/api/home/jobs/${ids[1]}/`).expect(200);
      expect(Object.keys(one.body)).toEqual(JOB_FIELDS);
      expect(one.body).toMatchObject({ id: ids[1], title: 'second', user: other.id });
      await api.http().get(`/api/home/jobs/${ids[1]}`).expect(200);
      for (const id of ['99999999', '0', 'abc', '1e3', '-1', '9'.repeat(30)]) await api.http().get(`/api/home/jobs/${id}/`).expect(404);
    });

    it('lets the author alone change and delete a post: 0 successes for anyone else', async () => {
      const { id } = (await post(author, { title: 'Mine', location: 'Seogwipo', description: 'd' }).expect(201)).body;
      const attempts = [
        () => api.http().put(`/api/home/jobs/${id}/`).set('Authorization', auth(other)).send({ title: 'Hijacked' }),
        () => api.http().patch(`/api/home/jobs/${id}/`).set('Authorization', auth(other)).send({ title: 'Hijacked' }),
        () => api.http().patch(`/api/home/jobs/${id}/`).set('Authorization', auth(other)).send({}),
        () => api.http().delete(`/api/home/jobs/${id}/`).set('Authorization', auth(other)),
      ];
      for (const attempt of attempts) {
        const res = await attempt();
        expect(res.status).toBe(403);
        expect(res.body.detail).toEqual(expect.any(String));
      }
      for (const method of ['put', 'patch', 'delete'] as const)
        await api.http()[method](`/api/home/jobs/${id}/`).send({ title: 'x' }).expect(401);
      expect((await api.http().get(`/api/home/jobs/${id}/`).expect(200)).body).toMatchObject({ title: 'Mine', location: 'Seogwipo' });

      const patched = await api
        .http()
        .patch(`/api/home/jobs/${id}/`)
        .set('Authorization', auth(author))
        .send({ location: null })
        .expect(200);
      expect(patched.body).toMatchObject({ id, title: 'Mine', location: null, description: 'd', user: author.id });
      const put = await api.http().put(`/api/home/jobs/${id}/`).set('Authorization', auth(author)).send({ title: 'Renamed' }).expect(200);
      expect(put.body).toMatchObject({ title: 'Renamed', location: null, user: author.id });
      await api.http().put(`/api/home/jobs/${id}/`).set('Authorization', auth(author)).send({ location: 'no title' }).expect(400);
      await api.http().patch(`/api/home/jobs/${id}/`).set('Authorization', auth(author)).send({ user: other.id }).expect(400);
      for (const body of [{ title: null }, { title: '' }, { location: 'x'.repeat(101) }, { id: 1 }]) {
        await api.http().patch(`/api/home/jobs/${id}/`).set('Authorization', auth(author)).send(body).expect(400);
      }
      await api.http().put(`/api/home/jobs/${id}/`).set('Authorization', auth(author)).send({ title: null }).expect(400);
      for (const method of ['put', 'patch', 'delete'] as const) {
        await api.http()[method]('/api/home/jobs/99999999/').set('Authorization', auth(author)).send({ title: 'x' }).expect(404);
      }
      await api.http().delete(`/api/home/jobs/${id}/`).set('Authorization', auth(author)).expect(204);
      await api.http().get(`/api/home/jobs/${id}/`).expect(404);
      await api.http().delete(`/api/home/jobs/${id}/`).set('Authorization', auth(author)).expect(404);
    });

    it('serves list and post from the cache until a job write invalidates them', async () => {
      const { id } = (await post(author, { title: 'Cached' }).expect(201)).body;
      await api.http().get(`/api/home/jobs/${id}/`).expect(200);
      const hit = await api.http().get(`/api/home/jobs/${id}/`).expect(200);
      expect(hit.headers['x-cache']).toBe('HIT');
      await api.http().get('/api/home/jobs/').expect(200);
      expect((await api.http().get('/api/home/jobs/').expect(200)).headers['x-cache']).toBe('HIT');

      await api.http().patch(`/api/home/jobs/${id}/`).set('Authorization', auth(author)).send({ title: 'Changed' }).expect(200);
      expect((await api.http().get(`/api/home/jobs/${id}/`).expect(200)).body.title).toBe('Changed');
      expect((await api.http().get('/api/home/jobs/').expect(200)).body.results[0]).toMatchObject({ id, title: 'Changed' });
      await api.http().delete(`/api/home/jobs/${id}/`).set('Authorization', auth(author)).expect(204);
      await api.http().get(`/api/home/jobs/${id}/`).expect(404);
      expect((await api.http().get('/api/home/jobs/').expect(200)).body.results.map((j: { id: number }) => j.id)).not.toContain(id);
    });

    it("removes a diver's posts with the diver", async () => {
      const leaving = await diver();
      await post(leaving, { title: 'Leaving soon' }).expect(201);
      await db.query('DELETE FROM users WHERE id = $1', [leaving.id]);
      expect((await db.query('SELECT count(*)::int AS n FROM jobs WHERE user_id = $1', [leaving.id])).rows[0].n).toBe(0);
    });
  });

  describe('home stats', () => {
    it('ranks by likes received and by logbooks per site, with deterministic ties, as the raw rows say', async () => {
      const [a, b, c] = [await diver(), await diver(), await diver()];
      await insertLogbooks(a.id, 'stats-a', 1, 600_000);
      await insertLogbooks(a.id, 'stats-a', 1, 400_000);
      await insertLogbooks(b.id, 'stats-a', 1, 1_000_000);
      await insertLogbooks(c.id, 'stats-a', 1, 999_999);
      const site = `site-${tag()}`;
      await insertLogbooks(c.id, `${site}-a`, 300, 0);
      await insertLogbooks(c.id, `${site}-b`, 298, 0);
      await insertLogbooks(c.id, `${site}-c`, 297, 0);
      // A write through the API bumps the logbooks views (rows inserted by SQL above do not).
      await createLogbook(api, c.access, { dive_site: `${site}-b` });

      const usernames = await db.query('SELECT id, username FROM users WHERE id = ANY($1)', [[a.id, b.id, c.id]]);
      const userName = (d: Diver) => usernames.rows.find((r) => r.id === d.id).username;
      const got = await stats();
      expect(got.members).toEqual([
        [userName(a), 1_000_000],
        [userName(b), 1_000_000],
        [userName(c), 999_999],
      ]);
      expect(got.spots).toEqual([
        [`${site}-a`, 300],
        [`${site}-b`, 299],
        [`${site}-c`, 297],
      ]);
      expect(got).toEqual(await expected());
      await api.http().get('/api/home/top_level_members/').expect(200, got.members);
    });

    it('is cached for everyone and follows logbook writes and committed likes', async () => {
      const before = await stats();
      const again = await api.http().get('/api/home/the_most_visited_spots').set('Authorization', auth(other)).expect(200);
      expect(again.headers['x-cache']).toBe('HIT');
      expect(again.body).toEqual(before.spots);

      // Two more logbooks at the third site tie it with the first; the name breaks the tie.
      const third = before.spots[2][0] as string;
      await createLogbook(api, other.access, { dive_site: third });
      await createLogbook(api, other.access, { dive_site: third });
      const [first, second] = before.spots;
      expect((await stats()).spots).toEqual(
        [first, [third, 299], second].toSorted((x, y) => (y[1] as number) - (x[1] as number) || (x[0] < y[0] ? -1 : 1)),
      );

      // A like committed by the consumer (which bumps the logbooks views) lifts the second member over the first.
      const [leader, runnerUp] = before.members;
      const { rows } = await db.query('SELECT id FROM users WHERE username = $1 AND id = ANY($2)', [runnerUp[0], divers.map((d) => d.id)]);
      const runner = divers.find((d) => d.id === rows[0].id)!;
      const liked = await createLogbook(api, runner.access, { dive_site: 'Liked here' });
      await api.http().post(`/api/logbooks/${liked}/like/`).set('Authorization', auth(other)).expect(202);
      await waitFor('the like to reach the ranking', async () => {
        const members = (await api.http().get('/api/home/top_level_members').expect(200)).body;
        return members[0][0] === runnerUp[0] ? members : undefined;
      });
      expect((await stats()).members.slice(0, 2)).toEqual([
        [runnerUp[0], (runnerUp[1] as number) + 1],
        [leader[0], leader[1]],
      ]);
    });

    it('costs one statement each on a miss', async () => {
      const client = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
      const spy = vi.spyOn(client, 'query');
      try {
        for (const path of ['/api/home/top_level_members', '/api/home/the_most_visited_spots']) {
          await createLogbook(api, other.access); // a fresh generation: the next read is a miss
          spy.mockClear();
          const res = await api.http().get(path).expect(200);
          expect(res.headers['x-cache']).toBe('MISS');
          expect(spy.mock.calls.map((c) => String(typeof c[0] === 'string' ? c[0] : (c[0] as { text: string }).text))).toHaveLength(1);
        }
      } finally {
        spy.mockRestore();
      }
    });
  });

  it("serves the client's home load, in its order, with what another diver wrote", async () => {
    const writer = await diver();
    const reader = await diver();
    await createLogbook(api, writer.access, { dive_date: '2099-01-01', dive_site: 'Home load reef' });
    const { id: job } = (await post(writer, { title: 'Home load job' }).expect(201)).body;
    for (const as of [reader, undefined]) {
      const get = (path: string) => (as ? api.http().get(path).set('Authorization', auth(as)) : api.http().get(path));
      const everyone = (await get('/api/mypage/all/').expect(200)).body as Array<{ id: number; username: string; email: string | null }>;
      expect(everyone.find((d) => d.id === writer.id)).toMatchObject({ username: expect.any(String), email: null });
      const [logbooks, members, spots, jobs] = await Promise.all([
        get('/api/logbooks/').expect(200),
        get('/api/home/top_level_members').expect(200),
        get('/api/home/the_most_visited_spots').expect(200),
        get('/api/home/jobs/').expect(200),
      ]);
      // Other suites may log dives dated later than this one, so the first page holds some diver's, not the caller's.
      expect(logbooks.body.results.length).toBeGreaterThan(0);
      expect(logbooks.body.results.every((l: { user: number }) => l.user !== as?.id)).toBe(true);
      expect(members.body).toHaveLength(3);
      for (const [username] of members.body) expect(everyone.some((d) => d.username === username && d.id !== as?.id)).toBe(true);
      expect(spots.body).toHaveLength(3);
      expect(jobs.body.results[0]).toMatchObject({ id: job, title: 'Home load job', user: writer.id });
    }
  });

  it('never sends anyone an email but their own', async () => {
    // The caller's own email is allowed (and shows that the scan knows who asked).
    expect((await api.http().get('/api/auths/me/').set('Authorization', auth(author)).expect(200)).text).toContain(author.email);
    expect(audit.responses).toBeGreaterThan(50);
    expect(audit.leaks).toEqual([]);
  });
});
