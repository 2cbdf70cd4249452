import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, type Repository } from 'typeorm';
import { CacheKeys, CacheService } from '@app/cache';
import { User } from '@app/database';
import type { AuthUser } from './auth-user.js';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly cache: CacheService,
    private readonly keys: CacheKeys,
  ) {}

  /** Returns null when the email is taken (also when a concurrent sign-up wins the unique index). */
  async create(fields: Pick<User, 'email' | 'username' | 'country' | 'password'>): Promise<User | null> {
    try {
      return await this.users.save(this.users.create(fields));
    } catch (err) {
      if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === UNIQUE_VIOLATION) return null;
      throw err;
    }
  }

  async emailTaken(email: string): Promise<boolean> {
    return this.users.existsBy({ email });
  }

  /** The only query that reads the password hash. */
  async findForSignin(email: string): Promise<User | null> {
    return this.users.findOne({
      where: { email, isActive: true },
      select: { id: true, email: true, username: true, country: true, password: true },
    });
  }

  /** Records the sign-in, and stores the password's new hash when it was redone at another cost. */
  async touchLastLogin(id: number, password?: string): Promise<void> {
    await this.users.update({ id }, { lastLogin: new Date(), ...(password ? { password } : {}) });
  }

  /**
   * Cache-aside lookup for the JWT guard: after the first request of a user, authenticated requests
   * issue no SQL for it. The entry lives CACHE_TTL_SECONDS; changes made through the app
   * evict it at once, a row changed behind the app's back is seen within that TTL.
   */
  async findActive(id: number): Promise<AuthUser | null> {
    const key = this.keys.authUser(id);
    const cached = await this.cache.get<AuthUser>(key);
    if (cached) return cached;
    const user = await this.findActiveUncached(id);
    if (user) await this.cache.set(key, user);
    return user;
  }

  async findActiveUncached(id: number): Promise<AuthUser | null> {
    const user = await this.users.findOneBy({ id, isActive: true });
    return user ? toAuthUser(user) : null;
  }

  /** Called after any change to a user (and on logout) so the guard never serves a stale row for long. */
  async evict(id: number): Promise<void> {
    await this.cache.del(this.keys.authUser(id));
  }
}

export function toAuthUser(u: User): AuthUser {
  return {
    id: u.id,
    email: u.email,
    username: u.username,
    country: u.country,
    license: u.license,
    introduction: u.introduction,
    profile_image: u.profileImage,
    date_joined: u.dateJoined.toISOString(),
  };
}
