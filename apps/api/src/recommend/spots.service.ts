import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { SpotRequestStatus } from '@app/database';
import { CommandPublisher, type RecommendationCommand } from '@app/messaging';
import { DailyQuotas } from '../limits/daily.quota.js';
import { RecommendationEventsListener } from './recommendation-events.listener.js';
import { CLAIM_SQL, REQUEST_SQL, SPOTS_SQL } from './spots.queries.js';

const POLL_MS = 1_000;

export interface SpotRequestView {
  status: SpotRequestStatus;
  error: string | null;
  requested_at: string;
  finished_at: string | null;
}

interface PreviousRequest {
  command_id: string;
  status: SpotRequestStatus;
  error: string | null;
  requested_at: Date;
  finished_at: Date | null;
}

/**
 * A diver's recommended spots and the one recommendation of theirs that may be in flight. Spots are
 * only ever written by the consumer, three at a time in one transaction; here a request is claimed,
 * paid for from the daily quota and published, and its outcome awaited.
 */
@Injectable()
export class SpotsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly publisher: CommandPublisher,
    private readonly quotas: DailyQuotas,
    private readonly events: RecommendationEventsListener,
  ) {}

  async list(userId: number): Promise<string> {
    const [row] = await this.db.query(SPOTS_SQL, [userId]);
    return row.doc;
  }

  async request(userId: number): Promise<SpotRequestView | undefined> {
    const [row] = await this.db.query(REQUEST_SQL, [userId]);
    if (!row) return undefined;
    const { command_id: _, ...view } = row;
    return view;
  }

  /**
   * Starts a recommendation unless one is in flight, and returns the command id to wait for: the new
   * one, or the one in flight (`started` false), which a second POST joins instead of paying again.
   * A start costs one of the day's recommendations; if the broker does not confirm (503) or the quota
   * is spent (429), the request row and the quota are as they were before.
   */
  async start(userId: number): Promise<{ commandId: string; started: boolean }> {
    const [previous]: PreviousRequest[] = await this.db.query(
      'SELECT command_id, status, error, requested_at, finished_at FROM spot_requests WHERE user_id = $1',
      [userId],
    );
    const commandId = randomUUID();
    const claimed: unknown[] = await this.db.query(CLAIM_SQL, [userId, commandId]);
    if (claimed.length === 0) {
      const [current] = await this.db.query('SELECT command_id FROM spot_requests WHERE user_id = $1', [userId]);
      return { commandId: current.command_id, started: false };
    }
    try {
      await this.quotas.take('recommendations', userId, 1);
    } catch (err) {
      await this.restore(userId, commandId, previous);
      throw err;
    }
    try {
      const command: RecommendationCommand = { id: commandId, userId };
      await this.publisher.publish('recommendation', command);
    } catch (err) {
      await this.restore(userId, commandId, previous);
      await this.quotas.giveBack('recommendations', userId, 1);
      throw err;
    }
    return { commandId, started: true };
  }

  /** Waits (at most `ms`) for this command's outcome; `pending` if it has none by then. */
  async awaitOutcome(userId: number, commandId: string, ms: number): Promise<{ status: SpotRequestStatus; error: string | null }> {
    const deadline = Date.now() + ms;
    for (;;) {
      const left = deadline - Date.now();
      // Listen before looking, so an announcement between the two is not missed.
      const wake = this.events.next(userId, Math.min(POLL_MS, Math.max(0, left)));
      const [row] = await this.db.query('SELECT command_id, status, error FROM spot_requests WHERE user_id = $1', [userId]);
      if (row?.command_id === commandId && row.status !== 'pending') return { status: row.status, error: row.error };
      if (left <= 0) return { status: 'pending', error: null };
      await wake;
    }
  }

  /** Only while the row is still this call's own: a request that started meanwhile is left alone. */
  private async restore(userId: number, commandId: string, previous: PreviousRequest | undefined): Promise<void> {
    if (!previous) {
      await this.db.query('DELETE FROM spot_requests WHERE user_id = $1 AND command_id = $2', [userId, commandId]);
      return;
    }
    await this.db.query(
      `UPDATE spot_requests SET command_id = $3, status = $4, error = $5, requested_at = $6, finished_at = $7
        WHERE user_id = $1 AND command_id = $2`,
      [userId, commandId, previous.command_id, previous.status, previous.error, previous.requested_at, previous.finished_at],
    );
  }
}
