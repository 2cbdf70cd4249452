import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotificationStreams } from '../notifications/notification.streams.js';
import { PhotoEventsListener } from './photo-events.listener.js';

/**
 * The finished photos among those announced whose owner holds a stream on this process; $1 = the
 * announced photo ids, $2 = the users with a stream here. Scoping by owner in SQL is what keeps an
 * event off every other user's streams.
 */
const FINISHED_SQL = `
  SELECT user_id::int AS user_id,
         json_build_object('photo_id', id, 'status', status, 'classified_as', classified_as)::text AS doc
    FROM photos
   WHERE id = ANY($1::bigint[]) AND user_id = ANY($2::bigint[]) AND status IN ('done', 'failed')`;

/**
 * Sends a finished recognition (done or failed) to its owner's open notification streams as an
 * `event: photo`. It hears the same announcement that wakes `Prefer: wait` requests, so there is one
 * mechanism. The owners are looked up here, in one primary-key query per announcement, rather than
 * carried in the consumer's message: the message and its waiters stay as they are, the event shows
 * the state Postgres committed (a redelivered outcome for a photo already done is not applied, so the
 * consumer's own copy may differ), and a process without any open stream skips the query altogether.
 * Live only: a lost announcement costs the event, never the state, which `GET /api/photo/{id}/` shows.
 */
@Injectable()
export class PhotoStreamEvents implements OnModuleInit {
  private readonly logger = new Logger(PhotoStreamEvents.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly photos: PhotoEventsListener,
    private readonly streams: NotificationStreams,
  ) {}

  onModuleInit(): void {
    this.photos.onAnnouncement((photoIds) => {
      void this.send(photoIds).catch((err: Error) => this.logger.warn(`photo events: ${err.message}`));
    });
  }

  private async send(photoIds: number[]): Promise<void> {
    const users = this.streams.users();
    const ids = photoIds.filter((id) => Number.isSafeInteger(id) && id > 0);
    if (users.length === 0 || ids.length === 0) return;
    const rows: Array<{ user_id: number; doc: string }> = await this.db.query(FINISHED_SQL, [ids, users]);
    for (const { user_id, doc } of rows) this.streams.push(user_id, 'photo', doc);
  }
}
