import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { validateEnv } from '@app/config';
import { DatabaseEnv, dataSourceOptions, migrate } from '@app/database';
import { containsPattern } from '../apps/api/src/common/sql-text.js';
import { SEARCH_SQL } from '../apps/api/src/search/search.queries.js';
import { type Diver, signupAndSignin, startApi, type TestApi } from './support/api.js';
import { EmailAudit } from './support/email-audit.js';
import { createLogbook } from './support/fixtures.js';

const SHAPE = {
  users: ['id', 'username', 'country', 'license', 'introduction', 'profile_image'],
  logbooks: [
    'id',
    'dive_title',
    'dive_site',
    'feeling',
    'dive_date',
    'max_depth',
    'bottom_time',
    'weather',
    'type_of_dive',
    'weight',
    'start_pressure',
    'end_pressure',
  ],
  comments: ['id', 'text', 'created_at', 'author_username'],
  bucketlists: ['id', 'title', 'created_at'],
  friends: ['id', 'user_username', 'friend_username', 'created_at'],
  jobs: ['id', 'title', 'location', 'description'],
};
const TRGM_INDEXES = [
  'users_username_trgm_idx',
  'logbooks_dive_title_trgm_idx',
  'logbooks_dive_site_trgm_idx',
  'logbooks_feeling_trgm_idx',
  'comments_text_trgm_idx',
  'bucket_lists_title_trgm_idx',
  'jobs_title_trgm_idx',
  'jobs_location_trgm_idx',
  'jobs_description_trgm_idx',
];
const auth = (d: Diver) => `Bearer ${d.access}`;
const token = () => `q${randomBytes(4).toString('hex')}`;
type Found = Record<keyof typeof SHAPE, Array<Record<string, unknown>>>;

describe('search (e2e)', () => {
  let raw: TestApi;
  let api: TestApi;
  let db: pg.Client;
  let me: Diver;
  let buddy: Diver;
  const tok = token();
  let audit: EmailAudit;
  const search = async (q: string, as?: Diver): Promise<Found> => {
    const req = api.http().get('/api/search/').query({ q });
    const res = await (as ? req.set('Authorization', auth(as)) : req).expect(200);
    return res.body;
  };

  const titles = async (q: string) => (await search(q)).jobs.map((j) => j.title);

  beforeAll(async () => {
    raw = await startApi();
    audit = new EmailAudit(raw);
    api = audit.watch(() => [me, buddy]);
    db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    me = await signupAndSignin(raw, `${tok}me`);
    buddy = await signupAndSignin(raw, 'buddy');
    const logbook = await createLogbook(raw, me.access, { dive_title: `Night at ${tok.toUpperCase()}`, feeling: 'calm' });
    await createLogbook(raw, buddy.access, { dive_site: `reef ${tok}` });
    await createLogbook(raw, buddy.access, { feeling: `loved ${tok}!` });
    await raw
      .http()
      .post(`/api/logbooks/${logbook}/comments`)
      .set('Authorization', auth(buddy))
      .send({ text: `nice ${tok}` })
      .expect(201);
    await raw
      .http()
      .post('/api/home/jobs/')
      .set('Authorization', auth(buddy))
      .send({ title: `crew ${tok}` })
      .expect(201);
    await raw
      .http()
      .post('/api/home/jobs/')
      .set('Authorization', auth(buddy))
      .send({ title: 'a', location: `${tok} harbour` })
      .expect(201);
    await raw
      .http()
      .post('/api/home/jobs/')
      .set('Authorization', auth(buddy))
      .send({ title: 'b', description: `ask ${tok}` })
      .expect(201);
    await db.query(`INSERT INTO bucket_lists (user_id, title) VALUES ($1, $2)`, [buddy.id, `see ${tok} whales`]);
    await db.query(`INSERT INTO friends (user_id, friend_id) VALUES ($1, $2), ($2, $1)`, [me.id, buddy.id]);
  });
  afterAll(async () => {
    await db?.query('DELETE FROM users WHERE id = ANY($1)', [[me?.id, buddy?.id]]);
    await db?.end();
    await raw?.close();
  });

  it('finds every category case-insensitively, in the original shape, without emails', async () => {
    const found = await search(tok.toUpperCase(), me);
    expect(Object.keys(found)).toEqual(Object.keys(SHAPE));
    for (const [category, fields] of Object.entries(SHAPE)) {
      for (const entry of found[category as keyof Found]) expect(Object.keys(entry)).toEqual(fields);
    }
    expect(found.users).toEqual([expect.objectContaining({ id: me.id, username: `${tok}me`, country: 'KR', profile_image: null })]);
    expect(found.logbooks).toHaveLength(3);
    expect(found.logbooks.find((l) => l.dive_title === `Night at ${tok.toUpperCase()}`)).toMatchObject({
      dive_date: '2024-06-01',
      max_depth: 18.5,
      bottom_time: '00:45:00',
      weight: 6,
    });
    expect(found.comments).toEqual([expect.objectContaining({ text: `nice ${tok}`, author_username: 'buddy' })]);
    expect(found.comments[0].created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(found.bucketlists.map((b) => b.title)).toEqual([`see ${tok} whales`]);
    expect(found.friends.map((f) => [f.user_username, f.friend_username]).toSorted()).toEqual(
      [
        [`${tok}me`, 'buddy'],
        ['buddy', `${tok}me`],
      ].toSorted(),
    );
    expect(found.jobs.map((j) => j.title).toSorted()).toEqual(['a', 'b', `crew ${tok}`]);
    expect(JSON.stringify(found)).not.toMatch(/@|"email"/);
    // Anonymous callers get the same answer.
    expect(await search(tok)).toEqual(found);
  });

  it('caps each category at 20, newest first', async () => {
    const many = token();
    await db.query(`INSERT INTO jobs (user_id, title) SELECT $1, $2 || ' #' || i FROM generate_series(1, 25) i`, [buddy.id, many]);
    await db.query(
      `INSERT INTO logbooks (user_id, dive_title, dive_site, dive_date, max_depth, bottom_time_seconds, weight, start_pressure, end_pressure)
       SELECT $1, $2 || ' #' || i, 'x', '2024-01-01', 10, 600, 4, 200, 50 FROM generate_series(1, 25) i`,
      [buddy.id, many],
    );
    const found = await search(many);
    const newest = await db.query('SELECT id FROM logbooks WHERE dive_title ILIKE $1 ORDER BY created_at DESC, id DESC LIMIT 20', [
      `%${many}%`,
    ]);
    expect(found.jobs).toHaveLength(20);
    expect(found.jobs.map((j) => j.title)).toEqual(Array.from({ length: 20 }, (_, i) => `${many} #${25 - i}`));
    expect(found.logbooks.map((l) => l.id)).toEqual(newest.rows.map((r) => r.id));
  });

  it('lists the buddy pairs of the divers it lists, not of every diver who matches', async () => {
    const name = token();
    // 21 matching divers, joined a day apart: the oldest is past the cap of 20 newest.
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO users (email, username, country, password, date_joined)
       SELECT $1 || i || '@example.com', $1 || i, 'KR', 'x', now() - i * interval '1 day' FROM generate_series(1, 21) i
       RETURNING id`,
      [name],
    );
    const [newest, oldest] = [rows[0].id, rows[20].id];
    await db.query(`INSERT INTO friends (user_id, friend_id) VALUES ($1, $2), ($3, $2)`, [newest, buddy.id, oldest]);
    try {
      const found = await search(name);
      expect(found.users.map((u) => u.username)).toEqual(Array.from({ length: 20 }, (_, i) => `${name}${i + 1}`));
      expect(found.friends.map((f) => [f.user_username, f.friend_username])).toEqual([[`${name}1`, 'buddy']]);
    } finally {
      await db.query('DELETE FROM users WHERE id = ANY($1)', [rows.map((r) => r.id)]);
    }
  });

  it('matches %, _ and \\ in q literally', async () => {
    const t = token();
    for (const title of [`${t}100%off`, `${t}100xoff`, `${t}a_b`, `${t}axb`, `${t}c\\d`, `${t}cd`]) {
      await db.query('INSERT INTO jobs (user_id, title) VALUES ($1, $2)', [buddy.id, title]);
    }
    expect(await titles(`${t}100%`)).toEqual([`${t}100%off`]);
    expect(await titles(`${t}a_`)).toEqual([`${t}a_b`]);
    expect(await titles(`${t}c\\`)).toEqual([`${t}c\\d`]);
    expect(await titles(`${t}%`)).toEqual([]);
    expect((await titles(t)).length).toBe(6);
  });

  it('answers a missing, blank, repeated or too long q with 400 {"error"}', async () => {
    for (const query of ['', '?q=', '?q=%20%20%20', '?q=a&q=b', `?q=${'x'.repeat(101)}`, '?q=a%00b', '?Q=x']) {
      const res = await api.http().get(`/api/search/${query}`);
      expect({ query, status: res.status, body: res.body }).toMatchObject({ status: 400, body: { error: expect.any(String) } });
    }
    await api
      .http()
      .get(`/api/search/?q=${'x'.repeat(100)}`)
      .expect(200);
    await api.http().get(`/api/search?q=${tok}`).expect(200);
    await api.http().get('/api/search/?q=x').set('Authorization', 'Bearer not-a-token').expect(401);
  });

  it('caches each term, and a write to any kind of row it shows refreshes it', async () => {
    const t = token();
    const get = () => api.http().get('/api/search/').query({ q: t }).expect(200);
    const first = await get();
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.body.jobs).toEqual([]);
    expect((await get()).headers['x-cache']).toBe('HIT');
    await raw
      .http()
      .post('/api/home/jobs/')
      .set('Authorization', auth(buddy))
      .send({ title: `new ${t}` })
      .expect(201);
    expect((await get()).body.jobs.map((j: { title: string }) => j.title)).toEqual([`new ${t}`]);
    await raw
      .http()
      .post('/api/mypage/bucketlists/')
      .set('Authorization', auth(me))
      .send({ title: `go ${t}` })
      .expect(201);
    expect((await get()).body.bucketlists.map((b: { title: string }) => b.title)).toEqual([`go ${t}`]);
  });

  it('costs one statement whatever it finds', async () => {
    const client = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const spy = vi.spyOn(client, 'query');
    try {
      // Terms no earlier test searched: a term once searched is answered from the cache, with no SQL.
      for (const q of [tok.slice(0, -1), 'e', 'no-such-thing-anywhere']) {
        spy.mockClear();
        await search(q);
        expect(spy).toHaveBeenCalledTimes(1);
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('reads the pg_trgm indexes, never whole tables, for a q of 3+ characters', async () => {
    // Planner choices depend on table sizes: a database of its own with enough rows to make them real.
    const url = new URL(validateEnv(DatabaseEnv).DATABASE_URL);
    url.pathname = `${url.pathname}_plan`;
    await migrate({ ...validateEnv(DatabaseEnv), DATABASE_URL: url.toString() }, () => undefined);
    // Connected as the API is (its options: plan_cache_mode among them).
    const { options } = dataSourceOptions(validateEnv(DatabaseEnv)).extra as { options: string };
    const plan = new pg.Client({ connectionString: url.toString(), options });
    const ROWS = 5_000;
    await plan.connect();
    try {
      const word = `'w' || md5(i::text)`;
      await plan.query(`INSERT INTO users (email, username, country, password)
                        SELECT 'u' || i || '@example.com', left(${word}, 30), 'KR', 'x' FROM generate_series(1, ${ROWS}) i`);
      await plan.query(`INSERT INTO logbooks (user_id, dive_title, dive_site, feeling, dive_date, max_depth, bottom_time_seconds, weight,
                                              start_pressure, end_pressure)
                        SELECT 1 + i % ${ROWS}, ${word}, ${word} || 's', ${word} || 'f', '2024-01-01', 10, 600, 4, 200, 50
                          FROM generate_series(1, ${ROWS}) i`);
      await plan.query(
        `INSERT INTO comments (logbook_id, author_id, text) SELECT 1 + i % ${ROWS}, 1 + i % ${ROWS}, ${word} FROM generate_series(1, ${ROWS}) i`,
      );
      await plan.query(`INSERT INTO bucket_lists (user_id, title) SELECT 1 + i % ${ROWS}, ${word} FROM generate_series(1, ${ROWS}) i`);
      await plan.query(`INSERT INTO jobs (user_id, title, location, description)
                        SELECT 1 + i % ${ROWS}, ${word}, ${word}, ${word} FROM generate_series(1, ${ROWS}) i`);
      await plan.query(`INSERT INTO friends (user_id, friend_id) SELECT i, 1 + i % ${ROWS} FROM generate_series(1, ${ROWS}) i`);
      // VACUUM also merges GIN's pending list, which a fresh bulk insert leaves long (autovacuum would, in time).
      await plan.query('VACUUM ANALYZE');
      const explain = async (q: string) =>
        JSON.stringify((await plan.query(`EXPLAIN (FORMAT JSON) ${SEARCH_SQL}`, [containsPattern(q), ''])).rows[0]['QUERY PLAN']);

      // The API runs it as a named statement, whose plan Postgres would otherwise replace after five
      // executions by a generic one, made without the term: it is planned for its term each time.
      await plan.query(`PREPARE search(text, text) AS ${SEARCH_SQL}`);
      for (const q of ['cafe1', 'dead2', 'beef3', 'face4', 'bead5', 'fade6']) await plan.query(`EXECUTE search('%${q}%', '')`);
      const prepared = JSON.stringify((await plan.query(`EXPLAIN (FORMAT JSON) EXECUTE search('%beef42%', '')`)).rows[0]['QUERY PLAN']);
      for (const indexed of [await explain('beef42'), prepared]) {
        const used = [...indexed.matchAll(/"Node Type":"Bitmap Index Scan",[^}]*?"Index Name":"(\w+)"/g)].map((m) => m[1]);
        expect(new Set(used)).toEqual(new Set([...TRGM_INDEXES, 'friends_pair_key', 'friends_friend_idx']));
        expect(indexed).not.toContain('Seq Scan');
      }
      expect(prepared).toContain('%beef42%');
      // …as on the API's own connections (in its default mode Postgres may keep a generic plan: at × 100 it did).
      const [mode] = await raw.app.get(DataSource).query('SHOW plan_cache_mode');
      expect(mode.plan_cache_mode).toBe('force_custom_plan');
    } finally {
      await plan.end();
      const admin = new URL(url);
      admin.pathname = '/postgres';
      const drop = new pg.Client({ connectionString: admin.toString() });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS "${decodeURIComponent(url.pathname.slice(1))}" WITH (FORCE)`);
      await drop.end();
    }
  });

  it('never sends anyone an email but their own', () => {
    expect(audit.responses).toBeGreaterThan(20);
    expect(audit.leaks).toEqual([]);
  });
});
