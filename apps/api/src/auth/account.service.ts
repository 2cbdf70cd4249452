import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { VIEW_FAMILIES, ViewCache } from '@app/cache';
import { StorageService } from '@app/storage';
import type { AuthUser } from '../users/auth-user.js';
import { UsersService } from '../users/users.service.js';
import { AuthService } from './auth.service.js';

/** Files of the account's rows, read in the deleting transaction (the rows go with the user). */
const FILES_SQL = `
  SELECT dive_image AS key FROM logbooks WHERE user_id = $1 AND dive_image IS NOT NULL
  UNION ALL SELECT storage_key FROM photos WHERE user_id = $1
  UNION ALL SELECT profile_image FROM users WHERE id = $1 AND profile_image IS NOT NULL`;

/**
 * Deletes an account, password confirmed. The foreign keys cascade from the user row to its logbooks,
 * likes (a trigger keeps the liked logbooks' counts), comments, photos and refresh tokens (so every
 * refresh token is refused from then on); the guard's cached copy is evicted at once, so its access
 * tokens are 401 on the next request; the views that showed its rows are bumped, and its stored files
 * removed after the commit.
 */
@Injectable()
export class AccountService {
  private readonly logger = new Logger(AccountService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly storage: StorageService,
    private readonly views: ViewCache,
  ) {}

  async delete(user: AuthUser, password: string, ip: string, device?: string): Promise<void> {
    // A sign-in attempt in all but name: counted and locked out alike, so it cannot guess passwords.
    const owner = await this.auth.checkPassword({ ip, account: user.email, device }, password);
    if (owner?.id !== user.id) throw new BadRequestException({ password: ['Incorrect password.'] });
    const files: string[] = await this.db.transaction(async (m) => {
      const rows: Array<{ key: string }> = await m.query(FILES_SQL, [user.id]);
      await m.query('DELETE FROM users WHERE id = $1', [user.id]);
      return rows.map((r) => r.key);
    });
    await this.users.evict(user.id);
    // The account was in every kind of view: its logbooks, comments, likes, photos, profile, buddies and lists.
    await Promise.all(VIEW_FAMILIES.map((family) => this.views.bump(family)));
    const removed = await Promise.allSettled(files.map((key) => this.storage.delete(key)));
    const failed = removed.filter((r) => r.status === 'rejected').length;
    if (failed) this.logger.warn(`account ${user.id} deleted, ${failed} of its ${files.length} files could not be removed`);
  }
}
