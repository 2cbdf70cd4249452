import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Logbooks, their equipment, comments and likes. The rules the original's model meant but never ran
 * (end ≤ start pressure, bottom time ≥ 1 min, the weather and dive-type choices) are CHECKs here too,
 * so no writer can break them. Likes are one row per (logbook, user) with a version: unlike is a
 * tombstone (`liked = false`), never a DELETE, so a late, older like cannot resurrect it.
 */
export class CreateLogbooks1763860000000 implements MigrationInterface {
  name = 'CreateLogbooks1763860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dive_centers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name varchar(256) NOT NULL)`);
    await q.query(`CREATE TABLE equipment (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name varchar(100) NOT NULL)`);
    // Unique, unlike the original's, so that concurrent get-or-create by name ends in one row.
    await q.query(`CREATE UNIQUE INDEX equipment_name_key ON equipment (name)`);
    await q.query(`
      CREATE TABLE logbooks (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        dive_image varchar(1000),
        dive_image_url varchar(1000),
        feeling text,
        buddy text,
        dive_title varchar(256) NOT NULL,
        dive_site varchar(256) NOT NULL,
        dive_date date NOT NULL,
        max_depth double precision NOT NULL CHECK (max_depth >= 0),
        bottom_time_seconds integer NOT NULL CHECK (bottom_time_seconds >= 60),
        weather varchar(100) CHECK (weather IN ('sunny', 'cloudy', 'rainy', 'stormy')),
        type_of_dive varchar(256) CHECK (type_of_dive IN ('fun', 'training', 'night', 'deep', 'wreck')),
        weight smallint NOT NULL CHECK (weight >= 0),
        start_pressure smallint NOT NULL CHECK (start_pressure >= 0),
        end_pressure smallint NOT NULL CHECK (end_pressure >= 0 AND end_pressure <= start_pressure),
        latitude double precision CHECK (latitude BETWEEN -90 AND 90),
        longitude double precision CHECK (longitude BETWEEN -180 AND 180),
        dive_center_id bigint REFERENCES dive_centers (id) ON DELETE SET NULL,
        likes_count integer NOT NULL DEFAULT 0 CHECK (likes_count >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The feed's order (newest dive first, id as the tie-break that makes pages stable).
    await q.query(`CREATE INDEX logbooks_feed_idx ON logbooks (dive_date DESC, id DESC)`);
    await q.query(`CREATE INDEX logbooks_user_feed_idx ON logbooks (user_id, dive_date DESC, id DESC)`);
    await q.query(`
      CREATE TABLE logbook_equipment (
        logbook_id bigint NOT NULL REFERENCES logbooks (id) ON DELETE CASCADE,
        equipment_id bigint NOT NULL REFERENCES equipment (id) ON DELETE CASCADE,
        PRIMARY KEY (logbook_id, equipment_id)
      )`);
    await q.query(`
      CREATE TABLE likes (
        logbook_id bigint NOT NULL REFERENCES logbooks (id) ON DELETE CASCADE,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        liked boolean NOT NULL,
        version bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (logbook_id, user_id)
      )`);
    await q.query(`CREATE INDEX likes_user_id_idx ON likes (user_id)`);
    // The consumer never deletes like rows (unlike is a tombstone), but deleting a user cascades to
    // theirs: keep likes_count equal to the liked rows then too.
    await q.query(`
      CREATE FUNCTION likes_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE logbooks SET likes_count = likes_count - 1 WHERE id = OLD.logbook_id;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER likes_deleted AFTER DELETE ON likes FOR EACH ROW WHEN (OLD.liked) EXECUTE FUNCTION likes_deleted()`);
    await q.query(`
      CREATE TABLE comments (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        logbook_id bigint NOT NULL REFERENCES logbooks (id) ON DELETE CASCADE,
        author_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        text text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX comments_logbook_idx ON comments (logbook_id, id)`);
    await q.query(`CREATE INDEX comments_author_idx ON comments (author_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER likes_deleted ON likes');
    await q.query('DROP FUNCTION likes_deleted');
    for (const table of ['comments', 'likes', 'logbook_equipment', 'logbooks', 'equipment', 'dive_centers']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
