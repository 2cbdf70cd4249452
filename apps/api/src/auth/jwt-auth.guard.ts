import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UsersService } from '../users/users.service.js';
import { IS_PUBLIC } from './public.decorator.js';
import { tokenErrors } from './token-errors.js';
import { TokenService } from './token.service.js';

/**
 * Global guard. Like simplejwt, a header of another scheme counts as anonymous, but a Bearer token
 * that is present and invalid is a 401 even on public routes. The user comes from the cache-aside
 * lookup, so a warm authenticated request costs no SQL.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    try {
      req.user = (await this.authenticate(req.headers.authorization)) ?? undefined;
    } catch (err) {
      void reply.header('WWW-Authenticate', 'Bearer realm="api"');
      throw err;
    }
    if (req.user) return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    void reply.header('WWW-Authenticate', 'Bearer realm="api"');
    throw tokenErrors.notProvided();
  }

  /**
   * The active user a request's Authorization header names; null for none or another scheme; throws
   * the 401 for a Bearer token that is malformed, invalid or of a deleted user. Also used by the cached
   * views' fast path, so both decide alike.
   */
  async authenticate(header: string | undefined) {
    const claims = this.claimsOf(header);
    if (!claims) return null;
    const user = await this.users.findActive(claims.user_id);
    if (!user) throw tokenErrors.userNotFound();
    return user;
  }

  /**
   * authenticate answered from process memory alone, without a promise, for the cached views' fast
   * path: the user or null as authenticate decides, or undefined when it would need Redis or
   * Postgres, or would throw (authenticate is then asked, and decides).
   */
  authenticateNear(header: string | undefined) {
    try {
      const claims = this.claimsOf(header);
      return claims ? this.users.findActiveNear(claims.user_id) : null;
    } catch {
      return undefined;
    }
  }

  /** The claims of a Bearer header's access token; null for none or another scheme; throws the 401s. */
  private claimsOf(header: string | undefined) {
    if (!header) return null;
    // simplejwt splits on any run of whitespace.
    const parts = header.trim().split(/\s+/);
    if (parts[0] !== 'Bearer') return null;
    if (parts.length !== 2 || !parts[1]) throw tokenErrors.badHeader();
    const claims = this.tokens.verify(parts[1], 'access');
    if (!claims) throw tokenErrors.invalidAccess();
    return claims;
  }
}
