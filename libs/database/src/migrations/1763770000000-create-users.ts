import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1763770000000 implements MigrationInterface {
  name = 'CreateUsers1763770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email varchar(64) NOT NULL,
        username varchar(30) NOT NULL,
        country varchar(20) NOT NULL,
        password varchar(255) NOT NULL,
        license varchar(100),
        introduction text,
        profile_image varchar(1000),
        is_active boolean NOT NULL DEFAULT true,
        last_login timestamptz,
        date_joined timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);
    await q.query(`
      CREATE TABLE refresh_tokens (
        jti uuid PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        family uuid NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id)`);
    await q.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`DROP TABLE users`);
  }
}
