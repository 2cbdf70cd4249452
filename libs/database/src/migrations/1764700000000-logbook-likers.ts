import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `logbooks.likers_json`: the usernames of a logbook's likers in user id order, as the JSON text
 * `json_agg` writes, so the likes list is spliced from one short text per liked logbook instead of
 * joining, escaping and aggregating every like row on each read. NULL means "not known": readers
 * then aggregate that logbook's rows themselves, so a NULL is never wrong.
 *
 * Writers only ever set NULL, from statement-level triggers: on likes whose liked state changed (a
 * like batch, a cascade from a deleted user, any script) and on a username change. Setting NULL
 * cannot race (whatever commits last, the text is unknown), while computing the text in the writer
 * can: a writer's snapshot may predate another's commit. The consumer fills NULLs in after its
 * batches (LikersRefresher), under the lock every like batch takes on its logbooks first.
 */
export class LogbookLikers1764700000000 implements MigrationInterface {
  name = 'LogbookLikers1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE logbooks ADD COLUMN likers_json text`);
    // The refresher's worklist.
    await q.query(`CREATE INDEX logbooks_likers_unknown_idx ON logbooks (id) WHERE likers_json IS NULL`);
    await q.query(`
      CREATE FUNCTION forget_likers(ids bigint[]) RETURNS void LANGUAGE sql AS $$
        UPDATE logbooks SET likers_json = NULL WHERE id = ANY(ids) AND likers_json IS NOT NULL
      $$`);
    await q.query(`
      CREATE FUNCTION likes_inserted_likers() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM forget_likers(ARRAY(SELECT DISTINCT logbook_id FROM inserted WHERE liked));
        RETURN NULL;
      END $$`);
    // Only rows whose liked state changed: a replayed command, or one that only moves the version,
    // leaves the names as they are.
    await q.query(`
      CREATE FUNCTION likes_updated_likers() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM forget_likers(ARRAY(SELECT DISTINCT n.logbook_id FROM updated n
                                      JOIN replaced o USING (logbook_id, user_id)
                                     WHERE n.liked <> o.liked));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION likes_deleted_likers() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM forget_likers(ARRAY(SELECT DISTINCT logbook_id FROM deleted WHERE liked));
        RETURN NULL;
      END $$`);
    // Every UPDATE of users fires this (a trigger with transition tables cannot name columns): the
    // renamed ids first, so that a sign-in's UPDATE costs one empty index probe.
    await q.query(`
      CREATE FUNCTION users_renamed_likers() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM forget_likers(ARRAY(
          SELECT DISTINCT k.logbook_id FROM likes k
           WHERE k.liked AND k.user_id = ANY(ARRAY(SELECT n.id FROM renamed n JOIN before_rename o USING (id)
                                                    WHERE n.username IS DISTINCT FROM o.username))));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER likes_inserted_likers AFTER INSERT ON likes REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION likes_inserted_likers()`);
    await q.query(`
      CREATE TRIGGER likes_updated_likers AFTER UPDATE ON likes REFERENCING OLD TABLE AS replaced NEW TABLE AS updated
        FOR EACH STATEMENT EXECUTE FUNCTION likes_updated_likers()`);
    await q.query(`
      CREATE TRIGGER likes_deleted_likers AFTER DELETE ON likes REFERENCING OLD TABLE AS deleted
        FOR EACH STATEMENT EXECUTE FUNCTION likes_deleted_likers()`);
    await q.query(`
      CREATE TRIGGER users_renamed_likers AFTER UPDATE ON users REFERENCING OLD TABLE AS before_rename NEW TABLE AS renamed
        FOR EACH STATEMENT EXECUTE FUNCTION users_renamed_likers()`);
    // Logbooks without likes are known at once; the others are left to the consumer's refresher.
    await q.query(`UPDATE logbooks SET likers_json = '[]' WHERE likes_count = 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER users_renamed_likers ON users');
    for (const t of ['deleted', 'updated', 'inserted']) await q.query(`DROP TRIGGER likes_${t}_likers ON likes`);
    for (const f of ['users_renamed_likers', 'likes_deleted_likers', 'likes_updated_likers', 'likes_inserted_likers', 'forget_likers'])
      await q.query(`DROP FUNCTION ${f}`);
    await q.query('ALTER TABLE logbooks DROP COLUMN likers_json');
  }
}
