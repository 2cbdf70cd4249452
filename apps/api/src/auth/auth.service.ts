import { randomUUID } from 'node:crypto';
import { BadRequestException, ForbiddenException, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, type Repository } from 'typeorm';
import { ViewCache } from '@app/cache';
import { RefreshToken } from '@app/database';
import type { AuthUser } from '../users/auth-user.js';
import { UsersService } from '../users/users.service.js';
import { authConfig, type AuthEnv } from './auth.config.js';
import type { SigninDto } from './dto/signin.dto.js';
import type { SignupDto } from './dto/signup.dto.js';
import { PasswordHasher } from './password.hasher.js';
import { SigninLimiter } from './signin.limiter.js';
import { tokenErrors } from './token-errors.js';
import { TokenService } from './token.service.js';

export class TooManyAttemptsException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ detail: `Too many failed sign-in attempts. Try again in ${retryAfterSeconds} seconds.` }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly limiter: SigninLimiter,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
    @Inject(authConfig.KEY) private readonly env: AuthEnv,
    private readonly views: ViewCache,
  ) {}

  async signup(dto: SignupDto) {
    const taken = () => new BadRequestException({ email: ['user with this email id already exists.'] });
    // Checked first so a duplicate costs no argon2 work; the unique index still settles a race.
    if (await this.users.emailTaken(dto.email)) throw taken();
    const user = await this.users.create({ ...dto, password: await this.hasher.hash(dto.password) });
    if (!user) throw taken();
    // A new diver joins every diver list.
    await this.views.bump('users');
    return { id: user.id, email: user.email, username: user.username, country: user.country };
  }

  async signin(dto: SigninDto, ip: string) {
    const wait = await this.limiter.admit(ip, dto.email);
    if (wait > 0) throw new TooManyAttemptsException(wait);
    const user = await this.users.findForSignin(dto.email);
    if (!(await this.hasher.verify(user?.password, dto.password)) || !user) throw tokenErrors.badCredentials();
    // A hash of another cost is redone now that the password is at hand, so every account converges
    // on the configured cost and a sign-in's time says nothing about when the account was made.
    const rehashed = this.hasher.needsRehash(user.password) ? await this.hasher.hash(dto.password) : undefined;
    await Promise.all([
      this.limiter.succeeded(ip, dto.email),
      this.users.touchLastLogin(user.id, rehashed),
      // Keeps the table to live tokens without a sweeper: each sign-in clears its user's expired ones.
      this.refreshTokens.delete({ userId: user.id, expiresAt: LessThan(new Date()) }),
    ]);
    const refresh = await this.issueRefresh(user.id, randomUUID());
    return {
      refresh,
      access: this.tokens.signAccess(user),
      id: user.id,
      email: user.email,
      username: user.username,
      country: user.country,
    };
  }

  /**
   * `{access}` like simplejwt without rotation. With JWT_REFRESH_ROTATION the presented token is
   * revoked and a new one of the same family returned; presenting a revoked token of a family then
   * means it was stolen or replayed, and the whole family is revoked.
   */
  async refresh(token: string): Promise<{ access: string; refresh?: string }> {
    const claims = this.tokens.verify(token, 'refresh');
    if (!claims) throw tokenErrors.invalidRefresh();
    const row = await this.refreshTokens.findOneBy({ jti: claims.jti });
    if (!row || row.userId !== claims.user_id) throw tokenErrors.invalidRefresh();
    if (row.revokedAt) {
      if (this.env.JWT_REFRESH_ROTATION) await this.revokeFamily(row.family);
      throw tokenErrors.blacklisted();
    }
    // From Postgres, not the guard's cache: a deactivated user must not get a new day of access.
    const user = await this.users.findActiveUncached(claims.user_id);
    if (!user) throw tokenErrors.userNotFound();
    const access = this.tokens.signAccess(user);
    if (!this.env.JWT_REFRESH_ROTATION) return { access };
    // Conditional update: of two concurrent refreshes with one token, only one rotates it.
    const rotated = await this.refreshTokens.update({ jti: row.jti, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!rotated.affected) {
      await this.revokeFamily(row.family);
      throw tokenErrors.blacklisted();
    }
    return { access, refresh: await this.issueRefresh(user.id, row.family) };
  }

  /** Revokes the caller's own refresh token (the original let anyone blacklist anyone's). */
  async logout(caller: AuthUser, token: string | undefined): Promise<void> {
    if (!token) throw new BadRequestException({ detail: 'Refresh token required.' });
    const claims = this.tokens.verify(token, 'refresh');
    if (!claims) throw new BadRequestException({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
    if (claims.user_id !== caller.id) throw new ForbiddenException({ detail: 'This refresh token belongs to another user.' });
    await this.refreshTokens.update({ jti: claims.jti, revokedAt: IsNull() }, { revokedAt: new Date() });
    await this.users.evict(caller.id);
  }

  private async issueRefresh(userId: number, family: string): Promise<string> {
    const { token, jti, expiresAt } = this.tokens.signRefresh(userId, family);
    await this.refreshTokens.insert({ jti, userId, family, expiresAt });
    return token;
  }

  private async revokeFamily(family: string): Promise<void> {
    await this.refreshTokens.update({ family, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
