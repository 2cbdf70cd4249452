import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from '@app/database';

const STATE_SQL = `
  SELECT l.likes_count, coalesce(k.liked, false) AS liked
    FROM logbooks l LEFT JOIN likes k ON k.logbook_id = l.id AND k.user_id = $2
   WHERE l.id = $1`;

/** How long a logbook's state answers likes without asking Postgres again. */
const FRESH_MS = 2_000;
/** Bounds: logbooks held, and users remembered per logbook (oldest forgotten first). */
const MAX_LOGBOOKS = 10_000;
const MAX_USERS_PER_LOGBOOK = 1_000;

interface LogbookState {
  count: number;
  liked: Map<number, boolean>;
  loadedAt: number;
}

export interface LikeState {
  likes_count: number;
  liked: boolean;
}

/**
 * What a like/unlike needs before it is published: does the logbook exist, does this user like it,
 * and its count. Asking Postgres for that on every like cost a round trip per command and made likes
 * fail while Postgres was away, though the command itself only needs the broker. So each API process
 * keeps the state it has seen: fresh for FRESH_MS, then re-read in the background while the old state
 * keeps answering, and kept as long as Postgres is unreachable. The count is advisory either way
 * (the consumer decides; other processes publish too), so a slightly old one is the honest trade.
 * A logbook never seen while Postgres is away cannot be answered: that stays a 503.
 */
@Injectable()
export class LikeStateCache {
  private readonly logbooks = new LRUCache<number, LogbookState>({
    max: MAX_LOGBOOKS,
  });
  private readonly refreshing = new Set<number>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The state as this process knows it; null when the logbook does not exist. */
  async get(logbookId: number, userId: number): Promise<LikeState | null> {
    const near = this.getNear(logbookId, userId);
    if (near) return near;
    const entry = this.logbooks.get(logbookId);
    try {
      return await this.load(logbookId, userId);
    } catch (err) {
      // Postgres away but the logbook known: its count is still the best answer there is; the user
      // has no row we saw, and a like row we never saw is rarer than a missing one.
      if (entry && isDatabaseUnavailable(err)) return { likes_count: entry.count, liked: false };
      throw err;
    }
  }

  /** The state if this process holds it for this user, without waiting: undefined when Postgres must say. */
  getNear(logbookId: number, userId: number): LikeState | undefined {
    const entry = this.logbooks.get(logbookId);
    const liked = entry?.liked.get(userId);
    if (!entry || liked === undefined) return undefined;
    if (Date.now() - entry.loadedAt > FRESH_MS) this.refreshInBackground(logbookId, userId);
    return { likes_count: entry.count, liked };
  }

  /** Applies a published command to what this process answers next. */
  applied(logbookId: number, userId: number, liked: boolean): void {
    const entry = this.logbooks.get(logbookId);
    if (!entry) return;
    const before = entry.liked.get(userId) ?? false;
    entry.count = Math.max(0, entry.count + (liked === before ? 0 : liked ? 1 : -1));
    this.remember(entry, userId, liked);
  }

  forget(logbookId: number): void {
    this.logbooks.delete(logbookId);
  }

  private async load(logbookId: number, userId: number): Promise<LikeState | null> {
    const [row] = await this.db.query(STATE_SQL, [logbookId, userId]);
    if (!row) {
      this.logbooks.delete(logbookId);
      return null;
    }
    const entry = this.logbooks.get(logbookId) ?? {
      count: 0,
      liked: new Map(),
      loadedAt: 0,
    };
    entry.count = row.likes_count;
    entry.loadedAt = Date.now();
    this.remember(entry, userId, row.liked);
    this.logbooks.set(logbookId, entry);
    return { likes_count: row.likes_count, liked: row.liked };
  }

  /**
   * Freshness is the logbook's (its count), so one re-read per logbook is in flight at a time: keyed
   * by logbook and user, every user liking it during the round trip sent a query of their own.
   */
  private refreshInBackground(logbookId: number, userId: number): void {
    if (this.refreshing.has(logbookId)) return;
    this.refreshing.add(logbookId);
    this.load(logbookId, userId)
      .catch(() => undefined) // unreachable: keep answering from what we have
      .finally(() => this.refreshing.delete(logbookId));
  }

  private remember(entry: LogbookState, userId: number, liked: boolean): void {
    entry.liked.delete(userId); // re-insert: a Map iterates oldest first
    entry.liked.set(userId, liked);
    if (entry.liked.size > MAX_USERS_PER_LOGBOOK) entry.liked.delete(entry.liked.keys().next().value!);
  }
}
