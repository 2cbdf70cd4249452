import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What keeps reads bounded as the data grows. The feed's total comes from a counter the logbooks'
 * own statement triggers keep (one row updated per writing statement, so a page no longer counts
 * every logbook); search's "newest 20 matches" can walk a (created_at DESC, id DESC) index and
 * stop at the 20th match of a common term instead of sorting every match.
 */
export class ScaleWithData1764500000000 implements MigrationInterface {
  name = 'ScaleWithData1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE table_counts (table_name varchar(63) PRIMARY KEY, row_count bigint NOT NULL)`);
    await q.query(`INSERT INTO table_counts (table_name, row_count) SELECT 'logbooks', count(*) FROM logbooks`);
    // Statement-level with transition tables: a bulk insert or a cascade from a deleted user is one
    // update of the counter, not one per row. Concurrent writers queue on the counter row until the
    // first commits, which READ COMMITTED then re-reads: the total stays exact.
    await q.query(`
      CREATE FUNCTION count_logbooks() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE n bigint;
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          UPDATE table_counts SET row_count = 0 WHERE table_name = 'logbooks';
          RETURN NULL;
        END IF;
        IF TG_OP = 'INSERT' THEN SELECT count(*) INTO n FROM new_rows; ELSE SELECT -count(*) INTO n FROM old_rows; END IF;
        IF n <> 0 THEN UPDATE table_counts SET row_count = row_count + n WHERE table_name = 'logbooks'; END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER logbooks_counted_insert AFTER INSERT ON logbooks REFERENCING NEW TABLE AS new_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION count_logbooks()`);
    await q.query(`CREATE TRIGGER logbooks_counted_delete AFTER DELETE ON logbooks REFERENCING OLD TABLE AS old_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION count_logbooks()`);
    await q.query(
      `CREATE TRIGGER logbooks_counted_truncate AFTER TRUNCATE ON logbooks FOR EACH STATEMENT EXECUTE FUNCTION count_logbooks()`,
    );

    await q.query(`CREATE INDEX logbooks_created_idx ON logbooks (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX comments_created_idx ON comments (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX bucket_lists_created_idx ON bucket_lists (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX users_joined_idx ON users (date_joined DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX users_joined_idx');
    await q.query('DROP INDEX bucket_lists_created_idx');
    await q.query('DROP INDEX comments_created_idx');
    await q.query('DROP INDEX logbooks_created_idx');
    await q.query('DROP TRIGGER logbooks_counted_truncate ON logbooks');
    await q.query('DROP TRIGGER logbooks_counted_delete ON logbooks');
    await q.query('DROP TRIGGER logbooks_counted_insert ON logbooks');
    await q.query('DROP FUNCTION count_logbooks()');
    await q.query('DROP TABLE table_counts');
  }
}
