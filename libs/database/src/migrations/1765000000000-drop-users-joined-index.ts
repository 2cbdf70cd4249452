import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `users_joined_idx` (date_joined DESC, id DESC) served one plan only: search walking the newest
 * divers and testing each username until 20 match. The planner picks it when it expects matches
 * spread evenly over time, and a name fragment matched mostly by older divers then costs a walk
 * over most of the table (8,000 rows for "user1" at 10,000 divers, 5.8 ms, where the trigram index
 * and a sort of its 1,111 matches take 1 ms). Without it, search reads the trigram index's matches;
 * nothing else reads divers by join date.
 */
export class DropUsersJoinedIndex1765000000000 implements MigrationInterface {
  name = 'DropUsersJoinedIndex1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX users_joined_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX users_joined_idx ON users (date_joined DESC, id DESC)`);
  }
}
