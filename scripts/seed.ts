/**
 * `npm run seed -- --dataset v1 [--scale k]`: writes bench dataset v1 into DATABASE_URL (replacing an earlier
 * copy of it: its users are deleted first, with everything they own), multiplied by k when asked
 * (bench/lib/dataset-v1-scaled.ts), then invalidates cached views.
 */
import pg from 'pg';
import { createClient } from '@redis/client';
import { validateEnv } from '@app/config';
import { CacheEnv, CacheKeys, VIEW_FAMILIES, bumpViewGeneration } from '@app/cache';
import { DatabaseEnv, FILL_LIKES_TEXTS_SQL, migrate } from '@app/database';
import { AuthEnv } from '../apps/api/src/auth/auth.config.js';
import { PasswordHasher } from '../apps/api/src/auth/password.hasher.js';
import {
  JOBS,
  LOGBOOKS,
  PASSWORD,
  USERS,
  bucketListOf,
  buddyPairs,
  commentOf,
  job,
  likersOf,
  logbook,
  preferencesOf,
  skillsOf,
  userEmail,
  userName,
} from '../bench/lib/dataset-v1.js';
import { scaleV1 } from '../bench/lib/dataset-v1-scaled.js';

export async function seedV1(log: (line: string) => void = console.log, scale = 1): Promise<void> {
  const env = validateEnv(DatabaseEnv);
  await migrate(env, () => undefined);
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  try {
    // One hash for all: same password, and hashing 100 times would only slow the seed down.
    const hash = await new PasswordHasher(validateEnv(AuthEnv)).hash(PASSWORD);
    const emails = Array.from({ length: USERS }, (_, i) => userEmail(i));
    await db.query('BEGIN');
    // The copies of a scaled seed too (bench/lib/dataset-v1-scaled.ts): same addresses, higher numbers.
    await db.query(`DELETE FROM users WHERE email = ANY($1) OR email ~ '^user[0-9]+@example[.]com$'`, [emails]);
    const users = await db.query<{ id: number; email: string }>(
      `INSERT INTO users (email, username, country, password)
       SELECT e, u, 'KR', $3 FROM unnest($1::text[], $2::text[]) AS t(e, u) RETURNING id, email`,
      [emails, emails.map((_, i) => userName(i)), hash],
    );
    const userId = new Map(users.rows.map((r) => [r.email, Number(r.id)]));
    const ids = (i: number) => userId.get(userEmail(i))!;
    const books = Array.from({ length: LOGBOOKS }, (_, j) => logbook(j));
    const inserted = await db.query<{ id: number; dive_title: string }>(
      `INSERT INTO logbooks (user_id, dive_title, dive_site, dive_date, max_depth, bottom_time_seconds, weather,
                             type_of_dive, weight, start_pressure, end_pressure, likes_count)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::date[], $5::float8[], $6::int[], $7::text[],
                            $8::text[], $9::int[], $10::int[], $11::int[], $12::int[])
       RETURNING id, dive_title`,
      [
        books.map((b) => ids(b.owner)),
        books.map((b) => b.dive_title),
        books.map((b) => b.dive_site),
        books.map((b) => b.dive_date),
        books.map((b) => b.max_depth),
        books.map((b) => b.bottom_time_seconds),
        books.map((b) => b.weather),
        books.map((b) => b.type_of_dive),
        books.map((b) => b.weight),
        books.map((b) => b.start_pressure),
        books.map((b) => b.end_pressure),
        books.map((_, j) => likersOf(j).length),
      ],
    );
    const byTitle = new Map(inserted.rows.map((r) => [r.dive_title, Number(r.id)]));
    const logbookIds = books.map((b) => byTitle.get(b.dive_title)!);
    const likes = books.flatMap((_, j) => likersOf(j).map((i) => [logbookIds[j], ids(i)]));
    await db.query(
      `INSERT INTO likes (logbook_id, user_id, liked, version) SELECT l, u, true, 1 FROM unnest($1::bigint[], $2::bigint[]) AS t(l, u)`,
      [likes.map((l) => l[0]), likes.map((l) => l[1])],
    );
    const names = [...new Set(books.flatMap((b) => b.equipment))];
    await db.query('INSERT INTO equipment (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING', [names]);
    await db.query(
      `INSERT INTO logbook_equipment (logbook_id, equipment_id)
       SELECT t.l, e.id FROM unnest($1::bigint[], $2::text[]) AS t(l, n) JOIN equipment e ON e.name = t.n`,
      [books.flatMap((b, j) => b.equipment.map(() => logbookIds[j])), books.flatMap((b) => b.equipment)],
    );
    const community = await seedCommunity(db, ids, logbookIds);
    // What the consumer's LikersRefresher would write once it ran: the likes views read these.
    for (const sql of FILL_LIKES_TEXTS_SQL) await db.query(sql);
    await db.query('COMMIT');
    log(`dataset v1: ${USERS} users, ${LOGBOOKS} logbooks, ${likes.length} likes, ${community}`);
    if (scale > 1) log(await scaleV1(db, scale));
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await db.end();
  }
  // Cached views of the old rows must not be served: a new generation leaves them unreachable (the
  // API bumps it the same way after its own writes).
  const cache = validateEnv(CacheEnv);
  const redis = createClient({ url: cache.REDIS_URL });
  try {
    await redis.connect();
  } catch {
    log('redis unreachable: cached views expire by their TTL');
    return;
  }
  // The same bump the apps make: announced to running API processes, and never reusing a generation.
  const keys = new CacheKeys(cache.CACHE_NAMESPACE);
  for (const family of VIEW_FAMILIES) await bumpViewGeneration(redis, keys, family);
  await redis.quit();
}

/** Buddies, bucket lists, skills, jobs, preferences and comments of dataset v1, set-based like the rest. */
async function seedCommunity(db: pg.Client, ids: (i: number) => number, logbookIds: number[]): Promise<string> {
  const users = Array.from({ length: USERS }, (_, i) => i);
  const pairs = buddyPairs().flatMap(([a, b]) => [
    [ids(a), ids(b)],
    [ids(b), ids(a)],
  ]);
  await db.query('INSERT INTO friends (user_id, friend_id) SELECT * FROM unnest($1::bigint[], $2::bigint[])', [
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
  ]);
  const wishes = users.flatMap((i) => bucketListOf(i).map((title) => [ids(i), title] as const));
  await db.query('INSERT INTO bucket_lists (user_id, title) SELECT * FROM unnest($1::bigint[], $2::text[])', [
    wishes.map((w) => w[0]),
    wishes.map((w) => w[1]),
  ]);
  const skills = users.flatMap((i) => skillsOf(i).map((skill) => [ids(i), skill] as const));
  await db.query('INSERT INTO skill_sets (user_id, skill) SELECT * FROM unnest($1::bigint[], $2::text[])', [
    skills.map((k) => k[0]),
    skills.map((k) => k[1]),
  ]);
  const jobs = Array.from({ length: JOBS }, (_, n) => job(n));
  await db.query(
    `INSERT INTO jobs (user_id, title, location, description, created_at)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])`,
    [
      jobs.map((j) => ids(j.owner)),
      jobs.map((j) => j.title),
      jobs.map((j) => j.location),
      jobs.map((j) => j.description),
      jobs.map((j) => j.created_at),
    ],
  );
  const surveyed = users.filter((i) => preferencesOf(i));
  const answers = surveyed.map((i) => preferencesOf(i)!);
  await db.query(
    `INSERT INTO preferences (user_id, residence, budget_min, budget_max, preferred_depth_range, preferred_diving)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    [
      surveyed.map(ids),
      answers.map((a) => a.residence),
      answers.map((a) => a.budget_min),
      answers.map((a) => a.budget_max),
      answers.map((a) => a.preferred_depth_range),
      answers.map((a) => a.preferred_diving),
    ],
  );
  const comments = logbookIds.flatMap((id, j) => {
    const c = commentOf(j);
    return c ? [[id, ids(c.author), c.text] as const] : [];
  });
  await db.query('INSERT INTO comments (logbook_id, author_id, text) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[])', [
    comments.map((c) => c[0]),
    comments.map((c) => c[1]),
    comments.map((c) => c[2]),
  ]);
  return `${pairs.length / 2} buddy pairs, ${wishes.length} bucket list entries, ${skills.length} skills, ${jobs.length} jobs, ${surveyed.length} preferences, ${comments.length} comments`;
}

if (process.argv[1]?.endsWith('seed.ts')) {
  const at = process.argv.indexOf('--dataset');
  const dataset = at > 0 ? process.argv[at + 1] : undefined;
  if (dataset !== 'v1') {
    console.error('usage: npm run seed -- --dataset v1');
    process.exit(2);
  }
  const scaleAt = process.argv.indexOf('--scale');
  const scale = scaleAt > 0 ? Number(process.argv[scaleAt + 1]) : 1;
  if (!Number.isInteger(scale) || scale < 1) {
    console.error('--scale takes a positive integer');
    process.exit(2);
  }
  seedV1(console.log, scale).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
