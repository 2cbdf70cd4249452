import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The likers text of one logbook as a function, the one definition readers and the refresher share,
 * and the refresher's fill as a function too: a like batch for a logbook the refresher holds waits
 * until the refresher commits, and from the consumer that took four round trips, each as slow as
 * the machine's scheduling (batches waited up to 155 ms in a like storm). Called as one statement,
 * the rows stay locked for the fill's execution alone. A plpgsql function is VOLATILE: each of its
 * statements takes a new snapshot, so the fill sees every like committed before its lock was granted.
 */
export class LikersFillFunction1764800000000 implements MigrationInterface {
  name = 'LikersFillFunction1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION logbook_likers_json(logbook bigint) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT json_agg(u.username ORDER BY k.user_id)::text
          FROM likes k JOIN users u ON u.id = k.user_id
         WHERE k.logbook_id = logbook AND k.liked
      $$`);
    await q.query(`
      CREATE FUNCTION fill_logbook_likers(slice int) RETURNS int LANGUAGE plpgsql AS $$
      DECLARE
        taken bigint[];
      BEGIN
        -- Locked the way a like batch locks them; those a batch holds are left for the next run.
        SELECT coalesce(array_agg(id), '{}') INTO taken
          FROM (SELECT id FROM logbooks WHERE likers_json IS NULL ORDER BY id LIMIT slice FOR NO KEY UPDATE SKIP LOCKED) t;
        UPDATE logbooks SET likers_json = coalesce(logbook_likers_json(id), '[]') WHERE id = ANY(taken);
        RETURN cardinality(taken);
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION fill_logbook_likers(int)');
    await q.query('DROP FUNCTION logbook_likers_json(bigint)');
  }
}
