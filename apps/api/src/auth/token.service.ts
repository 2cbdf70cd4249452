import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import { authConfig, type AuthEnv } from './auth.config.js';

export type TokenType = 'access' | 'refresh';

/** simplejwt's claim names, so tokens look like the original's to its client (which reads `exp`). */
export interface TokenClaims {
  token_type: TokenType;
  user_id: number;
  jti: string;
  username?: string;
  /** Refresh tokens only: the rotation family, for reuse detection. */
  fam?: string;
  exp: number;
  iat: number;
}

/**
 * Signs and verifies our JWTs. HS256 is pinned on both sides, so `alg:none` or an RS/HS confusion is
 * rejected by the library; issuer, audience, expiry and the token type are checked on every verify.
 */
@Injectable()
export class TokenService {
  /**
   * Access tokens already verified, until their `exp`: whether a given token string is valid cannot
   * change before then (nothing revokes an access token; a deleted user is the guard's check), and a
   * verify costs an HMAC and two JSON parses on every request (~6 % of a cached GET's CPU).
   */
  private readonly verifiedAccess = new LRUCache<string, TokenClaims>({ max: 10_000 });

  constructor(
    private readonly jwt: JwtService,
    @Inject(authConfig.KEY) private readonly env: AuthEnv,
  ) {}

  signAccess(user: { id: number; username: string }): string {
    return this.jwt.sign(
      { token_type: 'access', user_id: user.id, username: user.username, jti: randomUUID() },
      { expiresIn: this.env.JWT_ACCESS_TTL },
    );
  }

  signRefresh(userId: number, family: string): { token: string; jti: string; expiresAt: Date } {
    const jti = randomUUID();
    const token = this.jwt.sign({ token_type: 'refresh', user_id: userId, jti, fam: family }, { expiresIn: this.env.JWT_REFRESH_TTL });
    return { token, jti, expiresAt: new Date(Date.now() + this.env.JWT_REFRESH_TTL * 1000) };
  }

  /** Returns the claims, or null for any invalid, expired or wrong-type token. */
  verify(token: string, type: TokenType): TokenClaims | null {
    if (type === 'access') {
      const known = this.verifiedAccess.get(token);
      if (known) return known.exp * 1000 > Date.now() ? known : null;
    }
    try {
      const claims = this.jwt.verify<TokenClaims>(token);
      if (claims.token_type !== type || !Number.isSafeInteger(claims.user_id) || typeof claims.jti !== 'string') return null;
      // jsonwebtoken only checks `exp` when present: a token without one would never expire.
      if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return null;
      if (type === 'refresh' && typeof claims.fam !== 'string') return null;
      if (type === 'access') this.verifiedAccess.set(token, Object.freeze(claims), { ttl: Math.max(1, claims.exp * 1000 - Date.now()) });
      return claims;
    } catch {
      return null;
    }
  }
}
