/**
 * `npm run seed -- --dataset v1`: writes bench dataset v1 into DATABASE_URL (replacing an earlier
 * copy of it: its users are deleted first, with everything they own), then invalidates cached views.
 */
import pg from 'pg';
import { createClient } from '@redis/client';
import { validateEnv } from '@app/config';
import { CacheEnv, CacheKeys } from '@app/cache';
import { DatabaseEnv, migrate } from '@app/database';
import { AuthEnv } from '../apps/api/src/auth/auth.config.js';
import { PasswordHasher } from '../apps/api/src/auth/password.hasher.js';
import { LOGBOOKS, PASSWORD, USERS, likersOf, logbook, userEmail, userName } from '../bench/lib/dataset-v1.js';

export async function seedV1(log: (line: string) => void = console.log): Promise<void> {
  const env = validateEnv(DatabaseEnv);
  await migrate(env, () => undefined);
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  try {
    // One hash for all: same password, and hashing 100 times would only slow the seed down.
    const hash = await new PasswordHasher(validateEnv(AuthEnv)).hash(PASSWORD);
    const emails = Array.from({ length: USERS }, (_, i) => userEmail(i));
    await db.query('BEGIN');
    await db.query('DELETE FROM users WHERE email = ANY($1)', [emails]);
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
    await db.query('COMMIT');
    log(`dataset v1: ${USERS} users, ${LOGBOOKS} logbooks, ${likes.length} likes`);
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
  await redis.incr(new CacheKeys(cache.CACHE_NAMESPACE).viewsGeneration('logbooks'));
  await redis.quit();
}

if (process.argv[1]?.endsWith('seed.ts')) {
  const at = process.argv.indexOf('--dataset');
  const dataset = at > 0 ? process.argv[at + 1] : undefined;
  if (dataset !== 'v1') {
    console.error('usage: npm run seed -- --dataset v1');
    process.exit(2);
  }
  seedV1().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
