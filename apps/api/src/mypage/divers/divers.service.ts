import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not, QueryFailedError } from 'typeorm';
import { ViewCache } from '@app/cache';
import { User } from '@app/database';
import { StorageService } from '@app/storage';
import { storeImage, type UploadedFile } from '../../common/uploads.js';
import type { Viewer } from '../../logbook/logbooks.service.js';
import { UsersService } from '../../users/users.service.js';
import type { EditProfileDto } from './dto/edit-profile.dto.js';
import { ALL_DIVERS_SQL, BUDDIES_OF_SQL, DIRECTORY_SQL, ONE_DIVER_SQL } from './divers.queries.js';

const EMAIL_TAKEN = 'user with this email id already exists.';
const UNIQUE_VIOLATION = '23505';
const NOT_YOURS = 'You may only edit your own profile.';

/**
 * Divers as the original's UserDetail, one statement per read whatever the number of divers and
 * logbooks (Postgres builds the JSON), and the owner's profile edit, after which the guard's cached
 * user is dropped and every diver view is bumped.
 */
@Injectable()
export class DiversService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly users: UsersService,
    private readonly views: ViewCache,
  ) {}

  async all(viewer: Viewer): Promise<string> {
    const [row] = await this.db.query(ALL_DIVERS_SQL, [viewer.id, viewer.mediaUrl]);
    return row.doc;
  }

  /** One diver; undefined for no such (active) diver. */
  async one(viewer: Viewer, id: number): Promise<string | undefined> {
    const [row] = await this.db.query(ONE_DIVER_SQL, [viewer.id, viewer.mediaUrl, id]);
    return row?.doc;
  }

  async buddiesOf(viewer: Viewer, id: number): Promise<string> {
    const [row] = await this.db.query(BUDDIES_OF_SQL, [viewer.id, viewer.mediaUrl, id]);
    return row.doc;
  }

  async directory(mediaUrl: string): Promise<string> {
    const [row] = await this.db.query(DIRECTORY_SQL, [mediaUrl]);
    return row.doc;
  }

  /**
   * 404 for an unknown diver, 403 for anyone but the diver. The new image is stored first, the row
   * changed under a lock (so of two concurrent replacements each old image is deleted exactly once),
   * and the image that was replaced deleted after the commit.
   */
  async edit(callerId: number, id: number, dto: EditProfileDto, image?: UploadedFile): Promise<void> {
    // Answered before anything is stored: someone else's profile, or no one's.
    if (id !== callerId) {
      const exists = await this.db.getRepository(User).exists({ where: { id, isActive: true } });
      throw exists ? new ForbiddenException({ detail: NOT_YOURS }) : new NotFoundException({ detail: 'Not found.' });
    }
    const changes: Partial<User> = {};
    for (const field of ['username', 'email', 'country', 'license', 'introduction'] as const) {
      if (dto[field] !== undefined) Object.assign(changes, { [field]: dto[field] });
    }
    const replacesImage = image !== undefined || dto.profile_image === null || dto.profile_image === '';
    const newKey = image ? await storeImage(this.storage, 'profile_image', image) : null;
    if (replacesImage) changes.profileImage = newKey;
    let replaced: string | null;
    try {
      replaced = await this.db.transaction(async (m) => {
        const repo = m.getRepository(User);
        const row = await repo.findOne({ where: { id, isActive: true }, lock: { mode: 'pessimistic_write' } });
        if (!row) throw new NotFoundException({ detail: 'Not found.' }); // deactivated meanwhile
        // Checked for a clear answer; the unique index still settles a race (below).
        if (dto.email !== undefined && (await repo.exists({ where: { email: dto.email, id: Not(id) } }))) {
          throw new BadRequestException({ email: [EMAIL_TAKEN] });
        }
        if (Object.keys(changes).length) await repo.update({ id }, changes);
        return replacesImage ? row.profileImage : null;
      });
    } catch (err) {
      if (newKey) await this.storage.delete(newKey);
      if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new BadRequestException({ email: [EMAIL_TAKEN] });
      }
      throw err;
    }
    if (replaced) await this.storage.delete(replaced);
    await this.users.evict(id);
    await this.views.bump('users');
  }
}
