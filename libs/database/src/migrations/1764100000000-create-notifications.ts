import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the bell icon lists: one row per recipient and cause. Titles, links and the actor's name are
 * built when read, from the row's foreign keys, so a renamed user never leaves stale text behind.
 */
export class CreateNotifications1764100000000 implements MigrationInterface {
  name = 'CreateNotifications1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        type varchar(10) NOT NULL,
        actor_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        logbook_id bigint REFERENCES logbooks (id) ON DELETE CASCADE,
        message_id bigint,
        is_read boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT notifications_type_check CHECK (type IN ('like', 'comment', 'friend', 'message'))
      )`);
    // The caller's list, newest first: one index range read backwards.
    await q.query(`CREATE INDEX notifications_user_idx ON notifications (user_id, id)`);
    // One like notification per (actor, logbook), ever: a replayed batch, a redelivery or a like →
    // unlike → like loop meets this index and inserts nothing (ON CONFLICT DO NOTHING).
    await q.query(`CREATE UNIQUE INDEX notifications_like_key ON notifications (actor_id, logbook_id) WHERE type = 'like'`);
    // A deleted user or logbook cascades to its notifications through these, not a scan.
    await q.query(`CREATE INDEX notifications_actor_idx ON notifications (actor_id)`);
    await q.query(`CREATE INDEX notifications_logbook_idx ON notifications (logbook_id)`);
    // Retention deletes old read rows in bounded slices.
    await q.query(`CREATE INDEX notifications_read_idx ON notifications (created_at) WHERE is_read`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notifications');
  }
}
