import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recommended dive spots, three per diver, and each diver's one recommendation request: the request
 * row is what keeps a second POST from starting a second recommendation while one is in flight, and
 * what a waiting request (or a later GET of the status) reads the outcome from.
 */
export class CreateSpots1764650000000 implements MigrationInterface {
  name = 'CreateSpots1764650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE spots (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        region varchar(120) NOT NULL,
        country varchar(120) NOT NULL,
        intro varchar(1000) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX spots_user_idx ON spots (user_id, id)`);
    await q.query(`
      CREATE TABLE spot_requests (
        user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        command_id varchar(64) NOT NULL,
        status varchar(16) NOT NULL,
        error varchar(500),
        requested_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT spot_requests_status_check CHECK (status IN ('pending', 'done', 'failed'))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE spot_requests');
    await q.query('DROP TABLE spots');
  }
}
