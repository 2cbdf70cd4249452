import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Direct messages between divers, short and from a fixed set of templates. A message notification
 * points at its message and goes with it.
 */
export class CreateMessages1764200000000 implements MigrationInterface {
  name = 'CreateMessages1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE messages (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        sender_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        receiver_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        template varchar(20) NOT NULL,
        content varchar(200) NOT NULL,
        is_read boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT messages_template_check CHECK (template IN ('INVITE', 'LOG_REQUEST', 'SHORT_DM')),
        CONSTRAINT messages_not_self CHECK (sender_id <> receiver_id)
      )`);
    // Inbox and sent box, newest first: each one index range read backwards.
    await q.query(`CREATE INDEX messages_inbox_idx ON messages (receiver_id, id)`);
    await q.query(`CREATE INDEX messages_sent_idx ON messages (sender_id, id)`);
    await q.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_message_id_fkey
        FOREIGN KEY (message_id) REFERENCES messages (id) ON DELETE CASCADE`);
    // The cascade from a deleted message finds its notification by this index, not a scan.
    await q.query(`CREATE INDEX notifications_message_idx ON notifications (message_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX notifications_message_idx');
    await q.query('ALTER TABLE notifications DROP CONSTRAINT notifications_message_id_fkey');
    await q.query('DROP TABLE messages');
  }
}
