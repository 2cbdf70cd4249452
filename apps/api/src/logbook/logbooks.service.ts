import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { ViewCache } from '@app/cache';
import { Logbook } from '@app/database';
import { StorageService } from '@app/storage';
import { storeImage, type UploadedFile } from '../common/uploads.js';
import type { CreateLogbookDto } from './dto/logbook.dto.js';
import { LikeStateCache } from './like-state.cache.js';
import { BY_USER_SQL, DETAIL_SQL, PAGE_SQL } from './logbook.queries.js';
import { checkRow, toColumns } from './logbook.rules.js';

export const NOT_OWNER = 'You do not have permission to perform this action.';

/** Who is reading (0 = anonymous) and the URL prefix stored images are served under. */
export interface Viewer {
  id: number;
  mediaUrl: string;
}

/**
 * Logbook reads (one statement each, JSON built by Postgres) and writes (owner only, one transaction,
 * the image stored first and removed again if the transaction fails). Every committed write bumps the
 * views generation, so no cached page or detail outlives it.
 */
@Injectable()
export class LogbooksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly views: ViewCache,
    private readonly likeState: LikeStateCache,
  ) {}

  /** `ids`: the page's logbooks, whose likes it shows. */
  async page(viewer: Viewer, limit: number, offset: number): Promise<{ count: number; results: string; ids: number[] }> {
    const [row] = await this.db.query(PAGE_SQL, [viewer.id, viewer.mediaUrl, limit, offset]);
    return { count: Number(row.count), results: row.results, ids: (row.ids as string[]).map(Number) };
  }

  /** One slice of a user's logbooks; undefined when there is no such (active) user. */
  async byUser(viewer: Viewer, ownerId: number, limit: number, offset: number): Promise<string | undefined> {
    const [row] = await this.db.query(BY_USER_SQL, [viewer.id, viewer.mediaUrl, ownerId, limit, offset]);
    return row.found ? row.results : undefined;
  }

  async detail(viewer: Viewer, id: number): Promise<string> {
    const [row] = await this.db.query(DETAIL_SQL, [viewer.id, viewer.mediaUrl, id]);
    if (!row) throw new NotFoundException({ detail: 'Not found.' });
    return row.doc;
  }

  async create(userId: number, dto: CreateLogbookDto, image?: UploadedFile): Promise<number> {
    const columns = { ...toColumns(dto), userId };
    checkRow(columns);
    const imageKey = image ? await storeImage(this.storage, 'logbooks_images', image) : null;
    try {
      const id = await this.db.transaction(async (m) => {
        const { identifiers } = await m.getRepository(Logbook).insert({ ...columns, diveImage: imageKey });
        const logbookId = Number(identifiers[0].id);
        if (dto.equipment?.length) await this.setEquipment(m, logbookId, dto.equipment);
        return logbookId;
      });
      await this.views.bump('logbooks');
      return id;
    } catch (err) {
      if (imageKey) await this.storage.delete(imageKey);
      throw toClientError(err);
    }
  }

  async update(userId: number, id: number, dto: Partial<CreateLogbookDto>, image?: UploadedFile): Promise<void> {
    let newKey: string | null = null;
    try {
      const replacedKey = await this.db.transaction(async (m) => {
        const row = await this.lockOwned(m, userId, id);
        const changes = toColumns(dto);
        checkRow({ ...row, ...changes });
        if (image) newKey = await storeImage(this.storage, 'logbooks_images', image);
        const clearImage = dto.dive_image === null || dto.dive_image === '';
        if (newKey || clearImage) changes.diveImage = newKey;
        if (Object.keys(changes).length) await m.getRepository(Logbook).update({ id }, changes);
        if (dto.equipment !== undefined) await this.setEquipment(m, id, dto.equipment);
        return newKey || clearImage ? row.diveImage : null;
      });
      if (replacedKey) await this.storage.delete(replacedKey);
      await this.views.bump('logbooks');
    } catch (err) {
      if (newKey) await this.storage.delete(newKey);
      throw toClientError(err);
    }
  }

  async remove(userId: number, id: number): Promise<void> {
    const imageKey = await this.db.transaction(async (m) => {
      const row = await this.lockOwned(m, userId, id);
      await m.getRepository(Logbook).delete({ id });
      return row.diveImage;
    });
    this.likeState.forget(id);
    if (imageKey) await this.storage.delete(imageKey);
    // Its comments went with it.
    await Promise.all([this.views.bump('logbooks'), this.views.bump('comments')]);
  }

  /** 404 for an unknown id, 403 for someone else's: the row is locked for the rest of the write. */
  private async lockOwned(m: EntityManager, userId: number, id: number): Promise<Logbook> {
    const row = await m.getRepository(Logbook).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!row) throw new NotFoundException({ detail: 'Not found.' });
    if (Number(row.userId) !== userId) throw new ForbiddenException({ detail: NOT_OWNER });
    return row;
  }

  /** Get-or-create by name (unique, so concurrent writers end with one row), then replace the links. */
  private async setEquipment(m: EntityManager, logbookId: number, names: string[]): Promise<void> {
    const unique = [...new Set(names)];
    await m.query('DELETE FROM logbook_equipment WHERE logbook_id = $1', [logbookId]);
    if (!unique.length) return;
    await m.query('INSERT INTO equipment (name) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (name) DO NOTHING', [unique]);
    await m.query('INSERT INTO logbook_equipment (logbook_id, equipment_id) SELECT $1, id FROM equipment WHERE name = ANY($2::text[])', [
      logbookId,
      unique,
    ]);
  }
}

/** Constraint failures a client can cause become 400s naming the field; the rest stay errors. */
function toClientError(err: unknown): unknown {
  if (!(err instanceof QueryFailedError)) return err;
  const { code, constraint } = err.driverError as { code?: string; constraint?: string };
  if (code === '23503' && constraint === 'logbooks_dive_center_id_fkey') {
    return new BadRequestException({ dive_center: ['Invalid pk - object does not exist.'] });
  }
  return err;
}
