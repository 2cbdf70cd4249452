import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { QueryFailedError, type Repository } from 'typeorm';
import { CacheKeys, CacheService, ViewCache } from '@app/cache';
import { User } from '@app/database';
import type { AuthUser } from './auth-user.js';

const UNIQUE_VIOLATION = '23505';
/** How long a process keeps its own copy of a user for the guard (also bounded by the users generation). */
const NEAR_TTL_MS = 5_000;

@Injectable()
export class UsersService {
  /**
   * The guard's users, also kept in process with the `users` views generation they were read under:
   * every change to a user made through the app (profile edit, account deletion) bumps it, so a copy
   * is dropped by every process as soon as the bump is announced, and without a generation from
   * Redis (ViewCache's rules: announced, or read while the subscription cannot vouch) nothing is kept. Saves a Redis round trip on every authenticated request.
   */
  private readonly near = new LRUCache<number, { user: AuthUser; generation: number }>({ max: 10_000, ttl: NEAR_TTL_MS });

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly cache: CacheService,
    private readonly keys: CacheKeys,
    private readonly views: ViewCache,
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
   * evict it at once, a row changed behind the app's back is seen within that TTL (and the 5 s a
   * process keeps its own copy).
   */
  async findActive(id: number): Promise<AuthUser | null> {
    // Read before the user, as views read theirs: a change committed meanwhile makes the copy stale at once.
    const generation = await this.views.generation('users');
    const near = this.near.get(id);
    if (near && generation !== undefined && near.generation === generation) return near.user;
    const key = this.keys.authUser(id);
    let user = (await this.cache.get<AuthUser>(key)) ?? null;
    if (!user) {
      user = await this.findActiveUncached(id);
      if (user) await this.cache.set(key, user);
    }
    if (user && generation !== undefined) this.near.set(id, { user, generation });
    return user;
  }

  /**
   * findActive answered from this process's memory alone, without a promise: the user, or undefined
   * when it would have to ask Redis (the copy is missing, or its generation cannot be vouched for).
   */
  findActiveNear(id: number): AuthUser | undefined {
    const near = this.near.get(id);
    return near && near.generation === this.views.generationNear('users') ? near.user : undefined;
  }

  async findActiveUncached(id: number): Promise<AuthUser | null> {
    const user = await this.users.findOneBy({ id, isActive: true });
    return user ? toAuthUser(user) : null;
  }

  /** Called after any change to a user (and on logout) so the guard never serves a stale row for long. */
  async evict(id: number): Promise<void> {
    this.near.delete(id);
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
