import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { NotificationEvent } from '@app/cache';
import { NOTIFICATION_JSON, notificationFrom } from '@app/database';
import type { LikeCommand } from '@app/messaging';

/**
 * Locks the batch's logbooks in id order first. Two consumers touching the same logbooks then take
 * turns (no deadlock: same order), and the upsert below, a new statement with a new snapshot, sees
 * every like row the other one committed, so the rows it reads are the true previous state.
 */
const LOCK_SQL = 'SELECT id FROM logbooks WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE';

/**
 * One set-based statement for the whole batch, 5 bind parameters whatever its size: the upsert
 * applies a command only when its version is newer than the row's (last writer wins, and a
 * redelivered command is a no-op), and `likes_count` moves by the rows whose state actually flipped:
 * `flipped` reads `likes` as the statement's snapshot holds it, before the upsert, one index probe
 * per applied row (joined through the input instead, the planner rebuilt a hash of the whole batch
 * per row: most of a 500-command batch's time).
 * Commands for a logbook or user deleted since they were published are dropped.
 *
 * The owner's like notification is inserted by the same statement, from the rows that flipped to
 * liked, so it commits with the like or not at all. A replayed command flips nothing, and the batch
 * holds one command per key, so a flip is notified once; the unique (actor, logbook) key on like
 * notifications also makes a like → unlike → like across batches notify only the first time. Its
 * created_at is the insert's own time, not the transaction's start (now()), which a lock wait can
 * put well before the like was applied. The
 * notifications come back as the documents the client reads, so that they can be announced with
 * their content and reach open streams without another read.
 */
const APPLY_SQL = `
  WITH input AS (
    SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::boolean[], $4::bigint[]) AS t(user_id, logbook_id, liked, version)
  ), valid AS (
    SELECT i.* FROM input i
     WHERE i.logbook_id = ANY($5::bigint[]) AND EXISTS (SELECT 1 FROM users u WHERE u.id = i.user_id)
  ), applied AS (
    INSERT INTO likes AS k (logbook_id, user_id, liked, version)
    SELECT logbook_id, user_id, liked, version FROM valid ORDER BY logbook_id, user_id
    ON CONFLICT (logbook_id, user_id) DO UPDATE
       SET liked = EXCLUDED.liked, version = EXCLUDED.version, updated_at = now()
     WHERE k.version < EXCLUDED.version
    RETURNING k.logbook_id, k.user_id, k.liked
  ), flipped AS (
    SELECT a.logbook_id, a.user_id, CASE WHEN a.liked THEN 1 ELSE -1 END AS delta
      FROM applied a LEFT JOIN likes p USING (logbook_id, user_id)
     WHERE a.liked <> coalesce(p.liked, false)
  ), counted AS (
    UPDATE logbooks l SET likes_count = l.likes_count + f.delta
      FROM (SELECT logbook_id, sum(delta)::int AS delta FROM flipped GROUP BY logbook_id) f
     WHERE l.id = f.logbook_id AND f.delta <> 0
    RETURNING l.id
  ), notified AS (
    INSERT INTO notifications (user_id, type, actor_id, logbook_id, created_at)
    SELECT l.user_id, 'like', f.user_id, f.logbook_id, clock_timestamp()
      FROM flipped f JOIN logbooks l ON l.id = f.logbook_id
     WHERE f.delta = 1 AND l.user_id <> f.user_id
     ORDER BY f.logbook_id, f.user_id
    ON CONFLICT (actor_id, logbook_id) WHERE type = 'like' DO NOTHING
    RETURNING *
  )
  SELECT (SELECT count(*) FROM applied) AS applied, (SELECT count(*) FROM flipped) AS flipped,
         (SELECT coalesce(array_agg(DISTINCT logbook_id), '{}') FROM flipped) AS logbooks, e.*
    FROM (SELECT coalesce(array_agg(n.user_id ORDER BY n.id), '{}') AS event_users,
                 coalesce(array_agg(n.id ORDER BY n.id), '{}') AS event_ids,
                 coalesce(array_agg(${NOTIFICATION_JSON}::text ORDER BY n.id), '{}') AS event_docs
            FROM ${notificationFrom('notified')}) e`;

export interface BatchResult {
  applied: number;
  flipped: number;
  /** The logbooks whose likes it changed, for the views that show them. */
  logbooks: number[];
  /** The like notifications it inserted, in id order, to announce once it is committed. */
  notifications: NotificationEvent[];
}

@Injectable()
export class LikeBatchWriter {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `commands` must hold at most one command per (user, logbook): ON CONFLICT cannot touch a row twice. */
  async apply(commands: LikeCommand[]): Promise<BatchResult> {
    const logbookIds = [...new Set(commands.map((c) => c.logbookId))].toSorted((a, b) => a - b);
    return this.db.transaction(async (m) => {
      const locked: Array<{ id: number }> = await m.query(LOCK_SQL, [logbookIds]);
      const [row] = await m.query(APPLY_SQL, [
        commands.map((c) => c.userId),
        commands.map((c) => c.logbookId),
        commands.map((c) => c.liked),
        commands.map((c) => c.version),
        locked.map((l) => l.id),
      ]);
      return {
        applied: row.applied,
        flipped: row.flipped,
        logbooks: (row.logbooks as string[]).map(Number),
        notifications: (row.event_ids as string[]).map((id, i) => ({
          userId: Number(row.event_users[i]),
          id: Number(id),
          doc: row.event_docs[i] as string,
        })),
      };
    });
  }
}
