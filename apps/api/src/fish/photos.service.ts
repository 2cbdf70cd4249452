import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ViewCache } from '@app/cache';
import { isFishialImageType } from '@app/fishial';
import { type PhotoStatus } from '@app/database';
import { CommandPublisher, type RecognitionCommand } from '@app/messaging';
import { StorageService, detectImageType } from '@app/storage';
import type { UploadedFile } from '../common/uploads.js';
import { DailyQuotas } from '../limits/daily.quota.js';
import { PhotoEventsListener } from './photo-events.listener.js';
import { DETAIL_SQL, PAGE_SQL } from './photo.queries.js';

/** Folders of one user's files: presigned uploads, and files sent with the photo itself. */
export const uploadFolder = (userId: number) => `uploads/${userId}`;
const photoFolder = (userId: number) => `photos/${userId}`;
const POLL_MS = 1_000;
/** A `pending` photo older than this is sent again (its command was lost to a failure on our side). */
const REQUEUE_AFTER = '5 minutes';

export interface Classification {
  photo_id: number;
  status: PhotoStatus;
}

/**
 * Photos are private to their owner: every query is scoped by user, so another user's photo is
 * simply not found. A photo only ever points at a file of our own storage in the owner's folders,
 * which is what the consumer sends to Fishial: no client-supplied URL is ever fetched.
 */
@Injectable()
export class PhotosService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly views: ViewCache,
    private readonly publisher: CommandPublisher,
    private readonly events: PhotoEventsListener,
    private readonly quotas: DailyQuotas,
  ) {}

  async page(userId: number, origin: string, limit: number, offset: number): Promise<{ count: number; results: string }> {
    const [row] = await this.db.query(PAGE_SQL, [this.storage.url(origin, ''), userId, limit, offset]);
    return row;
  }

  async detail(userId: number, origin: string, id: number): Promise<{ doc: string; status: PhotoStatus | null }> {
    const [row] = await this.db.query(DETAIL_SQL, [this.storage.url(origin, ''), userId, id]);
    if (!row) throw new NotFoundException({ detail: 'Not found.' });
    return row;
  }

  /** From a presigned upload's fileUrl, which must be a stored file in the caller's upload folder. */
  async createFromUrl(userId: number, origin: string, title: string, imageUrl: string): Promise<number> {
    const key = this.storage.keyFromUrl(origin, imageUrl);
    const size = key?.startsWith(`${uploadFolder(userId)}/`) ? await this.storage.size(key) : undefined;
    if (size === undefined) throw new BadRequestException({ image_url: ['Must be the fileUrl of an image you uploaded here.'] });
    // A presigned S3 PUT has no size limit of its own: refuse what the consumer should not read.
    if (size > this.storage.env.UPLOAD_MAX_BYTES) throw new BadRequestException({ image_url: ['The uploaded file is too large.'] });
    return this.insert(userId, title, key!);
  }

  async createFromFile(userId: number, title: string, file: UploadedFile): Promise<number> {
    const type = detectImageType(file.bytes);
    if (!isFishialImageType(type)) {
      throw new BadRequestException({ [file.fieldname]: ['Upload a JPEG, PNG or GIF image.'] });
    }
    const key = await this.storage.putImage(photoFolder(userId), file.bytes, type);
    try {
      return await this.insert(userId, title, key);
    } catch (err) {
      await this.storage.delete(key);
      throw err;
    }
  }

  async rename(userId: number, id: number, title: string): Promise<void> {
    // TypeORM answers an UPDATE … RETURNING with [rows, rowCount].
    const [rows] = await this.db.query('UPDATE photos SET title = $3 WHERE user_id = $1 AND id = $2 RETURNING id', [userId, id, title]);
    if (!rows?.length) throw new NotFoundException({ detail: 'Not found.' });
    await this.views.bump('photos');
  }

  async remove(userId: number, id: number): Promise<void> {
    const [rows] = await this.db.query('DELETE FROM photos WHERE user_id = $1 AND id = $2 RETURNING storage_key', [userId, id]);
    if (!rows?.length) throw new NotFoundException({ detail: 'Not found.' });
    await this.views.bump('photos');
    await this.storage.delete(rows[0].storage_key);
  }

  /**
   * Queues one recognition command (confirmed by the broker) per photo of the caller's that needs one:
   * not one already `done` (answered from what is stored), nor one `pending` since less than
   * REQUEUE_AFTER (its command is on its way; sending another would pay Fishial twice). The guarded
   * UPDATE decides, so concurrent requests cannot both send, and a photo finished meanwhile is not
   * reopened. All ids must be the caller's, or nothing happens (404). Each photo sent costs one of the
   * user's daily recognitions (a paid Fishial call), all or nothing: a batch over what is left sends
   * none (429). If the broker does not confirm, the photos get their previous status and error back
   * (503), and their quota too.
   */
  async classify(userId: number, ids: number[]): Promise<Classification[]> {
    const unique = [...new Set(ids)];
    const current: Array<{ id: number; status: PhotoStatus | null; error: string | null }> = await this.db.query(
      'SELECT id, status, error FROM photos WHERE user_id = $1 AND id = ANY($2::bigint[])',
      [userId, unique],
    );
    if (current.length !== unique.length) throw new NotFoundException({ detail: 'Not found.' });
    const [claimed]: [Array<{ id: number }>] = await this.db.query(
      `UPDATE photos SET status = 'pending', error = NULL, requested_at = now()
        WHERE user_id = $1 AND id = ANY($2::bigint[]) AND status IS DISTINCT FROM 'done'
          AND (status IS DISTINCT FROM 'pending' OR requested_at < now() - $3::interval)
        RETURNING id`,
      [userId, unique, REQUEUE_AFTER],
    );
    if (claimed.length) {
      const before = new Map(current.map((p) => [p.id, p]));
      const restore = async (photoIds: number[]) => {
        for (const id of photoIds) {
          const { status, error } = before.get(id)!;
          await this.db.query("UPDATE photos SET status = $2, error = $3 WHERE id = $1 AND status = 'pending'", [id, status, error]);
        }
      };
      try {
        await this.quotas.take('recognitions', userId, claimed.length);
      } catch (err) {
        await restore(claimed.map((c) => c.id));
        throw err;
      }
      const sent = await Promise.allSettled(
        claimed.map(({ id }) => {
          const command: RecognitionCommand = { id: randomUUID(), photoId: id, userId };
          return this.publisher.publish('recognition', command);
        }),
      );
      const unsent = claimed.filter((_, i) => sent[i].status === 'rejected').map((c) => c.id);
      await restore(unsent);
      await this.quotas.giveBack('recognitions', userId, unsent.length);
      await this.views.bump('photos');
      const rejection = sent.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (rejection) throw rejection.reason;
    }
    const done = new Set(current.filter((p) => p.status === 'done').map((p) => p.id));
    return ids.map((id) => ({ photo_id: id, status: done.has(id) ? 'done' : 'pending' }));
  }

  /** Waits (at most `ms`) until the consumer has finished this photo; false if it has not by then. */
  async awaitResult(userId: number, id: number, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      const left = deadline - Date.now();
      // Listen before looking, so an announcement between the two is not missed.
      const wake = this.events.next(id, Math.min(POLL_MS, Math.max(0, left)));
      const [row] = await this.db.query('SELECT status FROM photos WHERE user_id = $1 AND id = $2', [userId, id]);
      if (row?.status === 'done' || row?.status === 'failed') return true;
      if (left <= 0) return false;
      await wake;
    }
  }

  private async insert(userId: number, title: string, key: string): Promise<number> {
    const [row] = await this.db
      .query('INSERT INTO photos (user_id, title, storage_key) VALUES ($1, $2, $3) RETURNING id', [userId, title, key])
      .catch((err: { driverError?: { constraint?: string } }) => {
        if (err.driverError?.constraint === 'photos_storage_key_key') {
          throw new BadRequestException({ image_url: ['This file already belongs to a photo; upload it again for another.'] });
        }
        throw err;
      });
    await this.views.bump('photos');
    return row.id;
  }
}
