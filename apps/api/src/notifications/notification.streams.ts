import type { ServerResponse } from 'node:http';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CacheKeys, type NotificationEvent, NotificationMessages, RedisSubscriber } from '@app/cache';
import { apiMetrics } from '../metrics/api.metrics.js';
import { notificationsConfig, type NotificationsEnv } from './notifications.config.js';
import { NOTIFICATION_JSON, notificationFrom } from '@app/database';

const REPLAY_BATCH = 500;
/**
 * Ids are taken at insert but become visible at commit, so a notification can commit after one with a
 * higher id. Each fetch therefore also re-reads the user's RECHECK newest rows, and each stream
 * remembers what it sent above its floor, so such a late row is still sent, once.
 */
const RECHECK = 20;
const REMEMBERED = 256;
/** Users read by one fetch: one round trip for all the users an announcement (or a burst of them) names. */
const USERS_PER_FETCH = 200;
/** $1 users, $2 the lowest last sent id of each one's streams, $3 their lowest floor: rows ordered by user, id. */
const SINCE_SQL = `
  SELECT n.user_id, n.id, ${NOTIFICATION_JSON}::text AS doc
    FROM ${notificationFrom(`unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS w(user_id, after_id, floor_id)
    CROSS JOIN LATERAL (
      (SELECT * FROM notifications WHERE user_id = w.user_id AND id > w.after_id ORDER BY id LIMIT ${REPLAY_BATCH})
      UNION (SELECT * FROM notifications WHERE user_id = w.user_id AND id > w.floor_id ORDER BY id DESC LIMIT ${RECHECK}))`)}
   ORDER BY n.user_id, n.id`;
const LATEST_SQL = 'SELECT coalesce(max(id), 0)::bigint AS id FROM notifications WHERE user_id = $1';
/** After the subscription dropped, open streams are caught up from Postgres this long later (twice). */
const CATCH_UP_AFTER_MS = [1_000, 5_000];
/**
 * Users whose events came in an announcement are read from Postgres this long after, once for all
 * of them: nothing tells a stream that it missed an event (a producer whose publish failed, a late
 * commit), so the recheck of a fetch finds it, as a user-naming announcement would have. Such a
 * check does not hold back the events that come meanwhile: what it finds is late anyway.
 */
const RECHECK_AFTER_MS = 1_000;
const HEARTBEAT = Buffer.from(': heartbeat\n\n');
/** Heartbeats go out in this many turns per NOTIFICATION_HEARTBEAT_MS, so no turn writes to every stream at once. */
const HEARTBEAT_TURNS = 10;

interface Stream {
  /** The highest id sent: the SSE id of every event, hence the Last-Event-ID a reconnect resumes from. */
  lastId: number;
  /** Ids at or below it count as sent; above it, `sent` says. */
  floor: number;
  sent: number[];
  res: ServerResponse;
  /** Written to since its last heartbeat turn: traffic enough, no heartbeat needed. */
  wrote: boolean;
}

interface Row {
  user_id: number;
  id: number;
  doc: string;
}

function markSent(s: Stream, id: number): void {
  s.sent.push(id);
  s.lastId = Math.max(s.lastId, id);
  if (s.sent.length > REMEMBERED) {
    // The lower half goes at once, so a busy stream sorts once per REMEMBERED / 2 events, not on each.
    s.sent.sort((x, y) => x - y);
    s.floor = Math.max(s.floor, s.sent[REMEMBERED / 2]);
    s.sent = s.sent.slice(REMEMBERED / 2 + 1);
  }
}

/**
 * The open notification streams of this process. An announcement on the notifications channel
 * names users or carries the events themselves. Named users' rows after each stream's last sent id
 * are read from Postgres, one query for all the users woken meanwhile and one fetch at a time, and
 * written in id order. Events are written as they come to the streams of users no fetch is reading
 * for (else that fetch brings them, in order), and those users are read again shortly after. So a lost
 * announcement delays, a repeated one changes nothing, and every event is sent once per stream. Each
 * event is serialised once for all the streams that are at the same point (normally all of a user's),
 * and one fetch or announcement writes once per stream whatever the number of its events.
 */
@Injectable()
export class NotificationStreams implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationStreams.name);
  private readonly byUser = new Map<number, Set<Stream>>();
  /** Users to fetch for; fetched by the one running fetch, or by the next. */
  private readonly pending = new Set<number>();
  /** Users the running fetch reads for: events for them wait for it (they would overtake its rows). */
  private readonly reading = new Set<number>();
  private fetching = false;
  /** Users sent events straight from an announcement, read again after RECHECK_AFTER_MS, */
  private readonly recheck = new Set<number>();
  /** then due, fetched when no woken user is pending. */
  private readonly rechecking = new Set<number>();
  private recheckTimer?: NodeJS.Timeout;
  private readonly turns = Array.from({ length: HEARTBEAT_TURNS }, () => new Set<Stream>());
  private turn = 0;
  private opened = 0;
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
        const said = NotificationMessages.parse(message);
        if ('users' in said) this.wake(said.users);
        else this.deliverEvents(said.events);
      },
      () => {
        for (const ms of CATCH_UP_AFTER_MS) setTimeout(() => this.wakeAll(), ms).unref();
      },
    );
    // A comment line: proxies and our own socket timeout see traffic on an idle stream. One turn of
    // the streams at a time: writing to thousands at once would hold every event behind it.
    this.heartbeat = setInterval(() => this.beat(), this.env.NOTIFICATION_HEARTBEAT_MS / HEARTBEAT_TURNS);
    this.heartbeat.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    clearTimeout(this.recheckTimer);
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
    const streams = this.byUser.get(userId);
    if (!streams) return;
    const bytes = Buffer.from(`event: ${event}\ndata: ${data}\n\n`);
    for (const s of streams) s.res.write(bytes);
  }

  /** Serves `res` (headers already sent) from after `lastEventId`, or from now when there is none. */
  async open(userId: number, lastEventId: number | undefined, res: ServerResponse): Promise<void> {
    const start = lastEventId ?? Number.MAX_SAFE_INTEGER;
    const turn = this.turns[this.opened++ % HEARTBEAT_TURNS];
    const stream: Stream = { lastId: start, floor: start, sent: [], res, wrote: false };
    turn.add(stream);
    const streams = this.byUser.get(userId) ?? new Set<Stream>();
    this.byUser.set(userId, streams.add(stream));
    apiMetrics.openStreams.inc();
    res.on('close', () => {
      apiMetrics.openStreams.dec();
      turn.delete(stream);
      streams.delete(stream);
      if (streams.size === 0 && this.byUser.get(userId) === streams) this.byUser.delete(userId);
    });
    if (lastEventId === undefined) {
      const [row] = await this.db.query(LATEST_SQL, [userId]);
      stream.lastId = stream.floor = Number(row.id);
    }
    this.wake([userId]);
  }

  /** Events from an announcement, in id order: written now where no fetch for their user is due or running. */
  private deliverEvents(events: NotificationEvent[]): void {
    const byUser = new Map<number, Row[]>();
    for (const { userId, id, doc } of events) {
      if (!this.byUser.has(userId)) continue;
      if (this.pending.has(userId) || this.reading.has(userId)) {
        this.pending.add(userId);
        continue;
      }
      const rows = byUser.get(userId) ?? [];
      byUser.set(userId, rows);
      rows.push({ user_id: userId, id, doc });
    }
    for (const [userId, rows] of byUser) {
      this.write(userId, 0, rows, 0, rows.length);
      this.recheck.add(userId);
    }
    if (this.recheck.size > 0)
      this.recheckTimer ??= setTimeout(() => {
        this.recheckTimer = undefined;
        for (const userId of this.recheck) this.rechecking.add(userId);
        this.recheck.clear();
        this.wake([]);
      }, RECHECK_AFTER_MS).unref();
    if (this.pending.size > 0) this.wake([]);
  }

  private wake(userIds: Iterable<number>): void {
    for (const userId of userIds) if (this.byUser.has(userId)) this.pending.add(userId);
    if (this.fetching || this.pending.size + this.rechecking.size === 0) return;
    this.fetching = true;
    void this.drain().finally(() => (this.fetching = false));
  }

  /**
   * Fetches until no user is pending or due a recheck; users woken while a fetch runs are read by the
   * next one. Woken users first, and only theirs hold back the events that come meanwhile.
   */
  private async drain(): Promise<void> {
    while (this.pending.size + this.rechecking.size > 0) {
      const woken = this.pending.size > 0;
      const from = woken ? this.pending : this.rechecking;
      const users: number[] = [];
      for (const userId of from) {
        from.delete(userId);
        if (this.byUser.has(userId)) users.push(userId);
        if (users.length === USERS_PER_FETCH) break;
      }
      if (users.length === 0) continue;
      if (woken) for (const userId of users) this.reading.add(userId);
      await this.deliver(users)
        .catch((err: Error) => this.logger.warn(`notification streams of ${users.length} users: ${err.message}`))
        .finally(() => this.reading.clear());
    }
  }

  private async deliver(users: number[]): Promise<void> {
    const from = new Map<number, number>();
    const floor: number[] = [];
    for (const userId of users) {
      let [lastId, low] = [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
      for (const s of this.byUser.get(userId) ?? []) [lastId, low] = [Math.min(lastId, s.lastId), Math.min(low, s.floor)];
      from.set(userId, lastId);
      floor.push(low);
    }
    const rows: Row[] = await this.db.query(SINCE_SQL, [users, [...from.values()], floor]);
    for (let i = 0, end = 0; i < rows.length; i = end) {
      const userId = rows[i].user_id;
      while (end < rows.length && rows[end].user_id === userId) end++;
      const after = from.get(userId) ?? 0;
      let newer = 0;
      for (let k = i; k < end; k++) if (rows[k].id > after) newer++;
      this.write(userId, after, rows, i, end);
      // A full batch: there is more after it.
      if (newer >= REPLAY_BATCH) this.pending.add(userId);
    }
  }

  /**
   * Writes rows[start, end) (one user's, in id order, read after `after`) to each of the user's streams
   * that has not had them. A stream behind `after` opened (from an older Last-Event-ID) while the
   * query ran: it first needs rows this fetch did not read, and its own wake-up brings them in order.
   */
  private write(userId: number, after: number, rows: Row[], start: number, end: number): void {
    const streams = this.byUser.get(userId);
    if (!streams) return;
    // Streams at the same point get the same bytes: keyed by what is sent and the id each event carries.
    const built = new Map<string, Buffer>();
    for (const s of streams) {
      if (s.lastId < after) continue;
      let key = '';
      const parts: string[] = [];
      for (let k = start; k < end; k++) {
        const { id, doc } = rows[k];
        if (id <= s.floor || s.sent.includes(id)) continue;
        markSent(s, id);
        key += `${k}:${s.lastId},`;
        parts.push(`id: ${s.lastId}\ndata: `, doc, '\n\n');
      }
      if (parts.length === 0) continue;
      let bytes = built.get(key);
      if (!bytes) built.set(key, (bytes = Buffer.from(parts.join(''))));
      s.res.write(bytes);
      s.wrote = true;
    }
  }

  private beat(): void {
    const turn = this.turns[this.turn++ % HEARTBEAT_TURNS];
    for (const s of turn) {
      if (!s.wrote) s.res.write(HEARTBEAT);
      s.wrote = false;
    }
  }

  private wakeAll(): void {
    this.wake(this.byUser.keys());
  }

  private each(fn: (s: Stream) => void): void {
    for (const streams of this.byUser.values()) for (const s of streams) fn(s);
  }
}
