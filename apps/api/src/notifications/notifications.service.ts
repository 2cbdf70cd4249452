import { Inject, Injectable, Logger, NotFoundException, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notificationsConfig, type NotificationsEnv } from './notifications.config.js';
import { NOTIFICATION_JSON, notificationFrom } from '@app/database';

const PAGE_SQL = `
  SELECT (SELECT count(*) FROM notifications WHERE user_id = $1)::int AS count,
         (SELECT coalesce(json_agg(${NOTIFICATION_JSON} ORDER BY n.id DESC), '[]')::text
            FROM ${notificationFrom('(SELECT * FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3)')}) AS results`;

const READ_SQL = `
  WITH upd AS (UPDATE notifications SET is_read = true WHERE id = $1 AND user_id = $2 RETURNING *)
  SELECT ${NOTIFICATION_JSON}::text AS doc FROM ${notificationFrom('upd')}`;

const READ_ALL_SQL = `
  WITH n AS (UPDATE notifications SET is_read = true WHERE user_id = $1 AND NOT is_read RETURNING 1)
  SELECT count(*)::int AS updated FROM n`;

/** Bounded slices: one prune never holds many row locks or one long transaction. */
const PRUNE_BATCH = 1_000;
const PRUNE_SQL = `
  WITH old AS (SELECT id FROM notifications WHERE is_read AND created_at < now() - make_interval(days => $1) LIMIT ${PRUNE_BATCH})
  DELETE FROM notifications n USING old WHERE n.id = old.id`;
const PRUNE_EVERY_MS = 60 * 60 * 1_000;

/**
 * The caller's notifications. Retention runs here, hourly in every API process: the DELETE is
 * idempotent and bounded, so several processes pruning at once only share the work.
 */
@Injectable()
export class NotificationsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationsService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(notificationsConfig.KEY) private readonly env: NotificationsEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.prune().catch((err: Error) => this.logger.warn(`notification retention: ${err.message}`));
    }, PRUNE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async page(userId: number, limit: number, offset: number): Promise<{ count: number; results: string }> {
    const [row] = await this.db.query(PAGE_SQL, [userId, limit, offset]);
    return row;
  }

  async read(userId: number, id: number): Promise<string> {
    const [row] = await this.db.query(READ_SQL, [id, userId]);
    // Someone else's notification is as unknown as a missing one: its existence is not revealed.
    if (!row) throw new NotFoundException({ detail: 'Not found.' });
    return row.doc;
  }

  async readAll(userId: number): Promise<{ updated: number }> {
    const [row] = await this.db.query(READ_ALL_SQL, [userId]);
    return { updated: row.updated };
  }

  /** Deletes read notifications past the retention, slice by slice; returns how many went. */
  async prune(): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted]: [unknown, number] = await this.db.query(PRUNE_SQL, [this.env.NOTIFICATION_RETENTION_DAYS]);
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }
}
