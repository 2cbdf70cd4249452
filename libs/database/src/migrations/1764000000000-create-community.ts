import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What divers keep besides their dives: buddies (one row per direction, so "my buddies" is one index
 * range whichever side added whom), bucket lists, skills, the community job board and the preferences
 * survey (one row per user). Everything hangs off its user and goes with it. Search matches substrings
 * case-insensitively (ILIKE '%q%'), which a b-tree cannot serve: pg_trgm's GIN indexes can, so a search
 * reads index entries instead of whole tables.
 */
export class CreateCommunity1764000000000 implements MigrationInterface {
  name = 'CreateCommunity1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE friends (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        friend_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT friends_not_self CHECK (user_id <> friend_id)
      )`);
    // Concurrent adds of one pair end in one pair: both directions are inserted ON CONFLICT DO NOTHING.
    await q.query(`CREATE UNIQUE INDEX friends_pair_key ON friends (user_id, friend_id)`);
    await q.query(`CREATE INDEX friends_friend_idx ON friends (friend_id)`);
    await q.query(`
      CREATE TABLE bucket_lists (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title varchar(100) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX bucket_lists_user_idx ON bucket_lists (user_id, id)`);
    await q.query(`
      CREATE TABLE skill_sets (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        skill varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX skill_sets_user_idx ON skill_sets (user_id, id)`);
    await q.query(`
      CREATE TABLE jobs (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title varchar(100) NOT NULL,
        location varchar(100),
        description text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The board's order: newest post first, id as the tie-break that keeps pages stable.
    await q.query(`CREATE INDEX jobs_feed_idx ON jobs (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX jobs_user_idx ON jobs (user_id)`);
    await q.query(`
      CREATE TABLE preferences (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        birthday varchar(20) NOT NULL DEFAULT '',
        residence varchar(30),
        budget_min varchar(30),
        budget_max varchar(30),
        gender varchar(20),
        preferred_depth_range varchar(20),
        hobbies varchar(100),
        preferred_activities varchar(100),
        preferred_atmosphere varchar(100),
        last_dive_date varchar(20),
        preferred_diving varchar(100),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One survey per diver: a second POST meets this index and is answered 400, never 500.
    await q.query(`CREATE UNIQUE INDEX preferences_user_key ON preferences (user_id)`);

    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    for (const [table, column] of [
      ['users', 'username'],
      ['logbooks', 'dive_title'],
      ['logbooks', 'dive_site'],
      ['logbooks', 'feeling'],
      ['comments', 'text'],
      ['bucket_lists', 'title'],
      ['jobs', 'title'],
      ['jobs', 'location'],
      ['jobs', 'description'],
    ]) {
      await q.query(`CREATE INDEX ${table}_${column}_trgm_idx ON ${table} USING gin (${column} gin_trgm_ops)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['users_username', 'logbooks_dive_title', 'logbooks_dive_site', 'logbooks_feeling', 'comments_text']) {
      await q.query(`DROP INDEX ${index}_trgm_idx`);
    }
    for (const table of ['preferences', 'jobs', 'skill_sets', 'bucket_lists', 'friends']) await q.query(`DROP TABLE ${table}`);
  }
}
