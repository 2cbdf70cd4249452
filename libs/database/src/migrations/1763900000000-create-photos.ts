import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fish photos, owned by a user (the original's had no owner at all). `status` is null until a
 * recognition is requested, then pending → done | failed; the file lives in storage under
 * `storage_key`, and its URL is built per request (local disk) or fixed (object store).
 */
export class CreatePhotos1763900000000 implements MigrationInterface {
  name = 'CreatePhotos1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE photos (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title varchar(100) NOT NULL,
        storage_key varchar(1000) NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        status varchar(16) CHECK (status IN ('pending', 'done', 'failed')),
        classified_as varchar(255),
        species jsonb,
        fishial_result jsonb,
        error text,
        requested_at timestamptz,
        classified_at timestamptz
      )`);
    await q.query(`CREATE INDEX photos_user_idx ON photos (user_id, uploaded_at DESC, id DESC)`);
    // One photo per stored file: deleting a photo deletes its file, which no other photo may need.
    await q.query(`CREATE UNIQUE INDEX photos_storage_key_key ON photos (storage_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE photos`);
  }
}
