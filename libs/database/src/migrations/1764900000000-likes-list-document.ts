import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The likes list (`GET /api/logbooks/likes/`) kept as one text, so that a read costs Postgres one
 * row instead of splicing every liked logbook's likers text (`likes_list_json()`, ~2.5 ms of CPU for
 * 476 logbooks: the uncached list's limit). NULL means "not known": readers splice it themselves
 * then, so a NULL is never wrong, only slower.
 *
 * Writers only ever set NULL (`forget_likes_list`): whenever likers are forgotten (a like flipped, a
 * liker renamed or deleted: `forget_likers`), and when a logbook with likes appears, goes or has its
 * count changed. They always write the row, so each one holds its lock until it commits. The
 * consumer's refresher builds the text (`build_likes_list_document`) after taking that lock: it
 * waits for every writer that set NULL, then reads in a new snapshot that holds their changes; a
 * writer that comes later waits for the build to commit and sets NULL again.
 */
export class LikesListDocument1764900000000 implements MigrationInterface {
  name = 'LikesListDocument1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE likes_list_document (
        id boolean PRIMARY KEY DEFAULT true CONSTRAINT likes_list_document_one_row CHECK (id),
        doc text
      )`);
    await q.query(`INSERT INTO likes_list_document (doc) VALUES (NULL)`);
    // `[{"id" : …, "likes" : [username…]}, …]` for logbooks with likes, by id, in the bytes
    // json_agg(json_build_object(…)) writes: each logbook's likers text, aggregated where unknown.
    await q.query(`
      CREATE FUNCTION likes_list_json() RETURNS text LANGUAGE sql STABLE AS $$
        SELECT coalesce('[' || string_agg('{"id" : ' || l.id || ', "likes" : ' || coalesce(l.likers_json, logbook_likers_json(l.id), '[]') || '}',
                                          ', ' ORDER BY l.id) || ']', '[]')
          FROM logbooks l
         WHERE l.likes_count > 0
      $$`);
    await q.query(`CREATE FUNCTION forget_likes_list() RETURNS void LANGUAGE sql AS $$ UPDATE likes_list_document SET doc = NULL $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION forget_likers(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF cardinality(ids) > 0 THEN
          UPDATE logbooks SET likers_json = NULL WHERE id = ANY(ids) AND likers_json IS NOT NULL;
          PERFORM forget_likes_list();
        END IF;
      END $$`);
    // Scripts and bulk loads write counts without like rows; a new logbook has no likes, so most
    // inserts (and deletes of unliked logbooks) leave the list alone.
    await q.query(`
      CREATE FUNCTION logbooks_forget_likes_list() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- One branch per event: a trigger sees only its own transition table.
        IF TG_OP IN ('UPDATE', 'TRUNCATE') THEN
          PERFORM forget_likes_list();
        ELSIF TG_OP = 'INSERT' THEN
          IF EXISTS (SELECT 1 FROM new_rows WHERE likes_count > 0) THEN PERFORM forget_likes_list(); END IF;
        ELSIF EXISTS (SELECT 1 FROM old_rows WHERE likes_count > 0) THEN
          PERFORM forget_likes_list();
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER logbooks_inserted_likes_list AFTER INSERT ON logbooks REFERENCING NEW TABLE AS new_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION logbooks_forget_likes_list()`);
    await q.query(`CREATE TRIGGER logbooks_deleted_likes_list AFTER DELETE ON logbooks REFERENCING OLD TABLE AS old_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION logbooks_forget_likes_list()`);
    // A column list rules out transition tables: any statement that sets likes_count forgets the text.
    await q.query(`CREATE TRIGGER logbooks_counted_likes_list AFTER UPDATE OF likes_count ON logbooks
                   FOR EACH STATEMENT EXECUTE FUNCTION logbooks_forget_likes_list()`);
    await q.query(`CREATE TRIGGER logbooks_truncated_likes_list AFTER TRUNCATE ON logbooks
                   FOR EACH STATEMENT EXECUTE FUNCTION logbooks_forget_likes_list()`);
    // Returns whether it built the text. The check without a lock first: an idle refresher's call
    // must not write the row. Each statement of a plpgsql function takes a new snapshot, so the
    // UPDATE sees every writer the FOR UPDATE waited for.
    await q.query(`
      CREATE FUNCTION build_likes_list_document() RETURNS boolean LANGUAGE plpgsql AS $$
      DECLARE
        missing boolean;
      BEGIN
        IF (SELECT doc IS NOT NULL FROM likes_list_document) THEN RETURN false; END IF;
        SELECT doc IS NULL INTO missing FROM likes_list_document FOR UPDATE;
        IF missing THEN UPDATE likes_list_document SET doc = likes_list_json(); END IF;
        RETURN missing;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION build_likes_list_document()');
    for (const t of ['inserted', 'deleted', 'counted', 'truncated']) await q.query(`DROP TRIGGER logbooks_${t}_likes_list ON logbooks`);
    await q.query('DROP FUNCTION logbooks_forget_likes_list()');
    await q.query(`
      CREATE OR REPLACE FUNCTION forget_likers(ids bigint[]) RETURNS void LANGUAGE sql AS $$
        UPDATE logbooks SET likers_json = NULL WHERE id = ANY(ids) AND likers_json IS NOT NULL
      $$`);
    await q.query('DROP FUNCTION forget_likes_list()');
    await q.query('DROP FUNCTION likes_list_json()');
    await q.query('DROP TABLE likes_list_document');
  }
}
