import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Password-reset codes: one live code per account, stored as a keyed hash, gone with the account. */
export class CreatePasswordResets1764600000000 implements MigrationInterface {
  name = 'CreatePasswordResets1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE password_resets (
        user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        issue_id uuid NOT NULL,
        code_hash bytea NOT NULL,
        failed_attempts smallint NOT NULL DEFAULT 0,
        expires_at timestamptz NOT NULL,
        verified_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT password_resets_failed_attempts_check CHECK (failed_attempts >= 0)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE password_resets');
  }
}
