import pg from 'pg';
import { type Diver, signupAndSignin, startApi, type TestApi } from './support/api.js';
import { createLogbook } from './support/fixtures.js';
import { waitFor } from './support/likes-model.js';

/** What a like batch writes for one like: the row (its trigger forgets the likers) and the count. */
const like = async (client: pg.Client, logbookId: number, userId: number) => {
  await client.query(`INSERT INTO likes (logbook_id, user_id, liked, version) VALUES ($1, $2, true, 1)`, [logbookId, userId]);
  await client.query('UPDATE logbooks SET likes_count = likes_count + 1 WHERE id = $1', [logbookId]);
};
const likersIn = (doc: string | null, logbookId: number) =>
  (JSON.parse(doc ?? '[]') as Array<{ id: number; likes: string[] }>).find((l) => l.id === logbookId)?.likes;

/**
 * The likes list's stored text against real Postgres sessions: the build and the writers that set it
 * NULL take turns on its row, so that a text built from a snapshot that misses a committed change is
 * never left in place. No consumer runs here: builds happen where the test says.
 */
describe('likes list text: built under the writers’ lock, forgotten by every change it shows (e2e)', () => {
  let api: TestApi;
  let owner: Diver;
  let fan: Diver;
  const sessions: pg.Client[] = [];
  let admin: pg.Client;

  const session = async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    sessions.push(client);
    return client;
  };
  const stored = async (): Promise<string | null> => (await admin.query('SELECT doc FROM likes_list_document')).rows[0].doc;
  const spliced = async (): Promise<string> => (await admin.query('SELECT likes_list_json() AS doc')).rows[0].doc;
  const build = async (client = admin): Promise<boolean> =>
    (await client.query('SELECT build_likes_list_document() AS built')).rows[0].built;
  /** Resolves once `client`'s backend waits for a lock: it is queued behind another session's row. */
  const waitsForLock = async (client: pg.Client) => {
    const pid = (client as unknown as { processID: number }).processID;
    await waitFor('the session to wait for the row lock', async () => {
      const { rows } = await admin.query('SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1', [pid]);
      return rows[0]?.wait_event_type === 'Lock' ? true : undefined;
    });
  };
  beforeAll(async () => {
    api = await startApi();
    owner = await signupAndSignin(api, 'doc_owner');
    fan = await signupAndSignin(api, 'doc_fan');
    admin = await session();
  });
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.end()));
    await api?.close();
  });

  it('a build waits for a writer that forgot the text, then includes what it committed', async () => {
    const logbook = await createLogbook(api, owner.access);
    await build();
    expect(await stored()).toBe(await spliced());
    // Unknown already (an earlier change): a build that saw it known would leave it to the writer.
    await admin.query('SELECT forget_likes_list()');

    const writer = await session();
    const builder = await session();
    await writer.query('BEGIN');
    await like(writer, logbook, fan.id);
    const built = build(builder);
    await waitsForLock(builder);
    await writer.query('COMMIT');
    expect(await built).toBe(true);
    expect(likersIn(await stored(), logbook)).toEqual(['doc_fan']);
    expect(await stored()).toBe(await spliced());
  });

  it('a writer that comes during a build waits for it and forgets the text once it is in place', async () => {
    const logbook = await createLogbook(api, owner.access);
    await admin.query('SELECT forget_likes_list()');
    const builder = await session();
    const writer = await session();
    await builder.query('BEGIN');
    expect(await build(builder)).toBe(true);
    const written = like(writer, logbook, fan.id);
    await waitsForLock(writer);
    await builder.query('COMMIT');
    await written;
    // The build's snapshot missed the like; the writer, queued behind it, set NULL after it.
    expect(await stored()).toBeNull();
    expect(likersIn(await spliced(), logbook)).toEqual(['doc_fan']);
    expect(await build()).toBe(true);
    expect(likersIn(await stored(), logbook)).toEqual(['doc_fan']);
  });

  it('is forgotten by a rename, a deleted liker, a count set by a script and a deleted liked logbook, and left alone by the rest', async () => {
    const liked = await createLogbook(api, owner.access);
    const other = await createLogbook(api, owner.access);
    const liker = await signupAndSignin(api, 'doc_liker');
    await like(admin, liked, liker.id);
    const changes: Array<[string, string, unknown[]]> = [
      ['a liker renamed', 'UPDATE users SET username = $1 WHERE id = $2', ['doc_renamed', liker.id]],
      ['a script setting a count', 'UPDATE logbooks SET likes_count = 7 WHERE id = $1', [other]],
      ['a liked logbook deleted', 'DELETE FROM logbooks WHERE id = $1', [other]],
      ['a liker deleted', 'DELETE FROM users WHERE id = $1', [liker.id]],
    ];
    for (const [what, sql, params] of changes) {
      await build();
      expect({ what, known: (await stored()) !== null }).toEqual({ what, known: true });
      await admin.query(sql, params);
      expect({ what, known: (await stored()) !== null }).toEqual({ what, known: false });
    }
    expect(likersIn(await spliced(), liked)).toBeUndefined();

    const unchanged: Array<[string, string, unknown[]]> = [
      ['a sign-in stamping last_login', 'UPDATE users SET last_login = now() WHERE id = $1', [owner.id]],
      [
        'a logbook without likes created',
        `INSERT INTO logbooks (user_id, dive_title, dive_site, dive_date, max_depth, bottom_time_seconds, weight, start_pressure, end_pressure)
        SELECT user_id, dive_title, dive_site, dive_date, max_depth, bottom_time_seconds, weight, start_pressure, end_pressure FROM logbooks WHERE id = $1`,
        [liked],
      ],
      ['a logbook without likes deleted', 'DELETE FROM logbooks WHERE user_id = $1 AND likes_count = 0', [owner.id]],
    ];
    await build();
    const before = await stored();
    for (const [what, sql, params] of unchanged) {
      await admin.query(sql, params);
      expect({ what, doc: await stored() }).toEqual({ what, doc: before });
    }
    expect(before).toBe(await spliced());
  });
});
