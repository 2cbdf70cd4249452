import type pg from 'pg';
import { FILL_LIKES_TEXTS_SQL } from '@app/database';
import { LOGBOOKS, USERS } from './dataset-v1.js';

/**
 * Dataset v1 × k: copies 1 … k − 1 of the v1 rows already in the database (copy 0), each its own
 * world of USERS users and LOGBOOKS logbooks: user c·USERS + i (`user{n}@example.com`, same password
 * hash) owns, likes, comments and befriends what user i does in copy 0, on logbooks c·LOGBOOKS + j
 * (`Dive {n}`). So every table grows by k and every per-user or per-logbook figure (logbooks per
 * diver, likers per logbook, buddies per diver) stays what it is in v1; k = 1 is v1 itself.
 *
 * Set-based: one INSERT … SELECT per table over generate_series(1, k − 1), with the copy-0 id ↔
 * copy-c id maps kept in temporary tables, so × 100 (10,000 users, 50,000 logbooks, ~500k likes)
 * is a few statements, not a million round trips.
 */
export async function scaleV1(db: pg.Client, k: number): Promise<string> {
  if (!Number.isInteger(k) || k < 1) throw new Error(`scale must be a positive integer, got ${k}`);
  if (k === 1) return 'k = 1';
  const counts: Record<string, number> = {};
  const run = async (table: string, sql: string, params: unknown[] = []) => {
    counts[table] = (await db.query(sql, params)).rowCount ?? 0;
  };
  await db.query('BEGIN');
  try {
    await db.query('CREATE TEMP TABLE copies ON COMMIT DROP AS SELECT generate_series(1, $1::int - 1) AS c', [k]);
    // n = the dataset index in the name: users user{n}, logbooks "Dive {n}".
    await run(
      'users',
      `INSERT INTO users (email, username, country, password, license, introduction, date_joined)
       SELECT 'user' || (c * $1 + n) || '@example.com', 'user' || (c * $1 + n), country, password, license, introduction, date_joined
         FROM (SELECT *, substring(username FROM 5)::int AS n FROM users WHERE username ~ '^user[0-9]+$') u CROSS JOIN copies
        ORDER BY c, n`,
      [USERS],
    );
    await db.query(
      `CREATE TEMP TABLE user_copies ON COMMIT DROP AS
       SELECT a.id AS id0, b.c, b.id
         FROM (SELECT id, substring(username FROM 5)::int AS n FROM users WHERE username ~ '^user[0-9]+$') a
         JOIN (SELECT id, substring(username FROM 5)::int / $1 AS c, substring(username FROM 5)::int % $1 AS i
                 FROM users WHERE username ~ '^user[0-9]+$') b ON b.i = a.n AND b.c > 0
        WHERE a.n < $1`,
      [USERS],
    );
    await db.query('CREATE INDEX ON user_copies (id0, c)');
    await run(
      'logbooks',
      `INSERT INTO logbooks (user_id, dive_image_url, feeling, buddy, dive_title, dive_site, dive_date, max_depth,
                             bottom_time_seconds, weather, type_of_dive, weight, start_pressure, end_pressure,
                             latitude, longitude, dive_center_id, likes_count)
       SELECT p.id, l.dive_image_url, l.feeling, l.buddy, 'Dive ' || (p.c * $1 + substring(l.dive_title FROM 6)::int), l.dive_site,
              l.dive_date, l.max_depth, l.bottom_time_seconds, l.weather, l.type_of_dive, l.weight, l.start_pressure,
              l.end_pressure, l.latitude, l.longitude, l.dive_center_id, l.likes_count
         FROM logbooks l JOIN user_copies p ON p.id0 = l.user_id
        ORDER BY p.c, l.id`,
      [LOGBOOKS],
    );
    await db.query(
      `CREATE TEMP TABLE logbook_copies ON COMMIT DROP AS
       SELECT a.id AS id0, b.c, b.id
         FROM (SELECT id, substring(dive_title FROM 6)::int AS n FROM logbooks WHERE dive_title ~ '^Dive [0-9]+$') a
         JOIN (SELECT id, substring(dive_title FROM 6)::int / $1 AS c, substring(dive_title FROM 6)::int % $1 AS j
                 FROM logbooks WHERE dive_title ~ '^Dive [0-9]+$') b ON b.j = a.n AND b.c > 0
        WHERE a.n < $1`,
      [LOGBOOKS],
    );
    await db.query('CREATE INDEX ON logbook_copies (id0, c)');
    await run(
      'likes',
      `INSERT INTO likes (logbook_id, user_id, liked, version)
       SELECT lc.id, uc.id, k.liked, k.version
         FROM likes k JOIN logbook_copies lc ON lc.id0 = k.logbook_id JOIN user_copies uc ON uc.id0 = k.user_id AND uc.c = lc.c`,
    );
    await run(
      'logbook_equipment',
      `INSERT INTO logbook_equipment (logbook_id, equipment_id)
       SELECT lc.id, le.equipment_id FROM logbook_equipment le JOIN logbook_copies lc ON lc.id0 = le.logbook_id`,
    );
    await run(
      'comments',
      `INSERT INTO comments (logbook_id, author_id, text)
       SELECT lc.id, uc.id, m.text
         FROM comments m JOIN logbook_copies lc ON lc.id0 = m.logbook_id JOIN user_copies uc ON uc.id0 = m.author_id AND uc.c = lc.c
        ORDER BY lc.c, m.id`,
    );
    await run(
      'friends',
      `INSERT INTO friends (user_id, friend_id)
       SELECT a.id, b.id FROM friends f JOIN user_copies a ON a.id0 = f.user_id JOIN user_copies b ON b.id0 = f.friend_id AND b.c = a.c
        ORDER BY a.c, f.id`,
    );
    for (const [table, columns] of [
      ['bucket_lists', 'title'],
      ['skill_sets', 'skill'],
      ['jobs', 'title, location, description'],
      [
        'preferences',
        'birthday, residence, budget_min, budget_max, gender, preferred_depth_range, hobbies, preferred_activities, preferred_atmosphere, last_dive_date, preferred_diving',
      ],
    ] as const) {
      const picked = columns
        .split(', ')
        .map((c) => `t.${c}`)
        .join(', ');
      await run(
        table,
        `INSERT INTO ${table} (user_id, ${columns}) SELECT uc.id, ${picked} FROM ${table} t JOIN user_copies uc ON uc.id0 = t.user_id ORDER BY uc.c, t.id`,
      );
    }
    // As the v1 seed does: the texts a running consumer's LikersRefresher would have written, which
    // the likes views read; left NULL, every copy would be measured on the readers' fallback.
    for (const sql of FILL_LIKES_TEXTS_SQL) await db.query(sql);
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  // Fresh statistics and visibility map, as autovacuum would leave them on a database this size:
  // the plans measured are the ones production gets, not those of a just-bulk-loaded table.
  await db.query('VACUUM ANALYZE');
  return `× ${k}: added ${Object.entries(counts)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ')}`;
}
