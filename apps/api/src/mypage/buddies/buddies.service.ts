import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { NotificationEvents, ViewCache } from '@app/cache';
import { NotificationsSql } from '@app/database';

const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Buddies, stored once per direction. Both rows are written by one statement (so both or neither),
 * always in the same order for a pair, lower id first: two divers adding each other at once then wait
 * on the same index entry instead of deadlocking, and the unique pair index makes the loser a no-op.
 */
@Injectable()
export class BuddiesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: ViewCache,
    private readonly notifications: NotificationEvents,
  ) {}

  async add(userId: number, buddyId: number): Promise<void> {
    if (userId === buddyId) throw new BadRequestException({ error: 'You cannot add yourself as a buddy.' });
    await this.mustExist(buddyId);
    const [low, high] = userId < buddyId ? [userId, buddyId] : [buddyId, userId];
    let added: boolean;
    try {
      // The added diver's notification commits with the pair, and only when this add created it.
      added = await this.db.transaction(async (m) => {
        const pair: unknown[] = await m.query(
          `INSERT INTO friends (user_id, friend_id) VALUES ($1, $2), ($2, $1) ON CONFLICT (user_id, friend_id) DO NOTHING RETURNING id`,
          [low, high],
        );
        if (pair.length) await m.query(NotificationsSql.friend, [userId, buddyId]);
        return pair.length > 0;
      });
    } catch (err) {
      // The buddy's account went away between the check and the insert.
      const code = err instanceof QueryFailedError ? (err.driverError as { code?: string }).code : undefined;
      if (code === FOREIGN_KEY_VIOLATION) throw new NotFoundException({ detail: 'Not found.' });
      throw err;
    }
    if (!added) throw new BadRequestException({ error: 'You are already buddies.' });
    await Promise.all([this.views.bump('buddies'), this.notifications.announce([buddyId])]);
  }

  async remove(userId: number, buddyId: number): Promise<void> {
    if (userId === buddyId) throw new BadRequestException({ error: 'You cannot remove yourself as a buddy.' });
    await this.mustExist(buddyId);
    const [, removed] = await this.db.query(
      `DELETE FROM friends WHERE (user_id = $1 AND friend_id = $2) OR (user_id = $2 AND friend_id = $1)`,
      [userId, buddyId],
    );
    if (!removed) throw new NotFoundException({ detail: 'You are not buddies.' });
    await this.views.bump('buddies');
  }

  private async mustExist(id: number): Promise<void> {
    const [row] = await this.db.query('SELECT 1 FROM users WHERE id = $1 AND is_active', [id]);
    if (!row) throw new NotFoundException({ detail: 'Not found.' });
  }
}
