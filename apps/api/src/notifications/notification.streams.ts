import type { ServerResponse } from 'node:http';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CacheKeys, RedisSubscriber } from '@app/cache';
import { apiMetrics } from '../metrics/api.metrics.js';
import { notificationsConfig, type NotificationsEnv } from './notifications.config.js';
import { NOTIFICATION_JSON, notificationFrom } from './notifications.sql.js';

const REPLAY_BATCH = 500;
/**
 * Ids are taken at insert but become visible at commit, so a notification can commit after one with a
 * higher id. Each fetch therefore also re-reads the user's RECHECK newest rows, and each stream
 * remembers what it sent above its floor, so such a late row is still sent, once.
 */
const RECHECK = 20;
const REMEMBERED = 256;
const SINCE_SQL = `
  SELECT n.id, ${NOTIFICATION_JSON}::text AS doc
    FROM ${notificationFrom(`(
      (SELECT * FROM notifications WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT ${REPLAY_BATCH})
      UNION (SELECT * FROM notifications WHERE user_id = $1 AND id > $3 ORDER BY id DESC LIMIT ${RECHECK}))`)}
   ORDER BY n.id`;
const LATEST_SQL = 'SELECT coalesce(max(id), 0)::bigint AS id FROM notifications WHERE user_id = $1';
/** After the subscription dropped, open streams are caught up from Postgres this long later (twice). */
const CATCH_UP_AFTER_MS = [1_000, 5_000];

interface Stream {
  /** The highest id sent: the SSE id of every event, hence the Last-Event-ID a reconnect resumes from. */
  lastId: number;
  /** Ids at or below it count as sent; above it, `sent` says. */
  floor: number;
  sent: number[];
  res: ServerResponse;
}

function markSent(s: Stream, id: number): void {
  s.sent.push(id);
  s.lastId = Math.max(s.lastId, id);
  if (s.sent.length > REMEMBERED) {
    s.sent.sort((x, y) => x - y);
    s.floor = s.sent.shift() ?? s.floor;
  }
}

/**
 * The open notification streams of this process. An announcement on the notifications channel only
 * names users: their rows after each stream's last sent id are read from Postgres and written, in id
 * order, one fetch at a time per user. So a lost announcement delays, and a repeated one changes
 * nothing; every event is sent once per stream.
 */
@Injectable()
export class NotificationStreams implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationStreams.name);
  private readonly byUser = new Map<number, Set<Stream>>();
  private readonly busy = new Map<number, boolean>();
  private heartbeat?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly subscriber: RedisSubscriber,
    private readonly keys: CacheKeys,
    @Inject(notificationsConfig.KEY) private readonly env: NotificationsEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.subscriber.listen(
      this.keys.notificationEvents(),
      (message) => {
        for (const id of message.split(',')) this.wake(Number(id));
      },
      () => {
        for (const ms of CATCH_UP_AFTER_MS) setTimeout(() => this.wakeAll(), ms).unref();
      },
    );
    // A comment line: proxies and our own socket timeout see traffic on an idle stream.
    this.heartbeat = setInterval(() => this.each((s) => s.res.write(': heartbeat\n\n')), this.env.NOTIFICATION_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    this.each((s) => s.res.end());
  }

  /** False when the user already holds NOTIFICATION_STREAMS_PER_USER streams on this process. */
  hasRoom(userId: number): boolean {
    return (this.byUser.get(userId)?.size ?? 0) < this.env.NOTIFICATION_STREAMS_PER_USER;
  }

  /** The users holding at least one stream on this process. */
  users(): number[] {
    return [...this.byUser.keys()];
  }

  /**
   * Writes an event that is not a notification (e.g. a finished photo) to the user's streams on this
   * process. It has an `event:` name and no `id:` line, so it leaves the Last-Event-ID position of the
   * notifications untouched and is never replayed: it is live only, its subject's state is in Postgres.
   */
  push(userId: number, event: string, data: string): void {
    for (const s of this.byUser.get(userId) ?? []) s.res.write(`event: ${event}\ndata: ${data}\n\n`);
  }

  /** Serves `res` (headers already sent) from after `lastEventId`, or from now when there is none. */
  async open(userId: number, lastEventId: number | undefined, res: ServerResponse): Promise<void> {
    const start = lastEventId ?? Number.MAX_SAFE_INTEGER;
    const stream: Stream = { lastId: start, floor: start, sent: [], res };
    const streams = this.byUser.get(userId) ?? new Set<Stream>();
    this.byUser.set(userId, streams.add(stream));
    apiMetrics.openStreams.inc();
    res.on('close', () => {
      apiMetrics.openStreams.dec();
      streams.delete(stream);
      if (streams.size === 0 && this.byUser.get(userId) === streams) this.byUser.delete(userId);
    });
    if (lastEventId === undefined) {
      const [row] = await this.db.query(LATEST_SQL, [userId]);
      stream.lastId = stream.floor = Number(row.id);
    }
    this.wake(userId);
  }

  private wake(userId: number): void {
    if (!this.byUser.has(userId)) return;
    if (this.busy.has(userId)) {
      this.busy.set(userId, true); // fetch again once the running fetch is done
      return;
    }
    this.busy.set(userId, false);
    void this.deliver(userId)
      .catch((err: Error) => this.logger.warn(`notification stream of user ${userId}: ${err.message}`))
      .finally(() => {
        const again = this.busy.get(userId);
        this.busy.delete(userId);
        if (again) this.wake(userId);
      });
  }

  private async deliver(userId: number): Promise<void> {
    for (;;) {
      const streams = this.byUser.get(userId);
      if (!streams) return;
      const from = Math.min(...[...streams].map((s) => s.lastId));
      const floor = Math.min(...[...streams].map((s) => s.floor));
      const rows: Array<{ id: number; doc: string }> = await this.db.query(SINCE_SQL, [userId, from, floor]);
      let newer = 0;
      for (const { id, doc } of rows) {
        if (id > from) newer++;
        for (const s of streams) {
          if (id <= s.floor || s.sent.includes(id)) continue;
          markSent(s, id);
          s.res.write(`id: ${s.lastId}\ndata: ${doc}\n\n`);
        }
      }
      if (newer < REPLAY_BATCH) return;
    }
  }

  private wakeAll(): void {
    for (const userId of this.byUser.keys()) this.wake(userId);
  }

  private each(fn: (s: Stream) => void): void {
    for (const streams of this.byUser.values()) for (const s of streams) fn(s);
  }
}
