import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import { authConfig } from '../auth/auth.config.js';
import { passwordResetConfig, type PasswordResetEnv } from './password-reset.config.js';

const NAME = 'password_reset';
/** Sent only with the confirm call: no other request of the client carries it. */
export const PROOF_PATH = '/api/password-reset/confirm/';

/** What a valid proof names: the account and the issue of the code that was verified. */
export interface ResetProof {
  userId: number;
  issueId: string;
}

/**
 * The client cannot send the code again on confirm, so a correct code earns this instead: an HttpOnly,
 * SameSite=Strict cookie scoped to the confirm path, `<userId>.<issueId>.<expiry>.<mac>`, the MAC under
 * a key derived from JWT_SECRET (never the signing key itself). It is single use because confirm
 * deletes the issue it names, and dies early when a newer request replaces that issue.
 */
@Injectable()
export class ResetProofCookies {
  private readonly key: Buffer;

  constructor(
    @Inject(authConfig.KEY) auth: ConfigType<typeof authConfig>,
    @Inject(passwordResetConfig.KEY) private readonly env: PasswordResetEnv,
  ) {
    this.key = createHmac('sha256', auth.JWT_SECRET).update('scoopadive password reset proof v1').digest();
  }

  issue(proof: ResetProof, secure: boolean): string {
    const expires = Math.floor(Date.now() / 1000) + this.env.PASSWORD_RESET_PROOF_TTL_SECONDS;
    const body = `${proof.userId}.${proof.issueId}.${expires}`;
    const value = `${body}.${this.mac(body).toString('base64url')}`;
    return `${NAME}=${value}; Path=${PROOF_PATH}; Max-Age=${this.env.PASSWORD_RESET_PROOF_TTL_SECONDS}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  }

  /** A Set-Cookie value that removes the proof from the client. */
  clear(secure: boolean): string {
    return `${NAME}=; Path=${PROOF_PATH}; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  }

  /** The proof of the request's cookie when it is authentic and unexpired, else undefined. */
  read(req: FastifyRequest): ResetProof | undefined {
    const value = cookieValue(req.headers.cookie, NAME);
    const parts = value?.split('.') ?? [];
    if (parts.length !== 4) return undefined;
    const [user, issueId, expires, mac] = parts;
    if (!/^[1-9]\d{0,15}$/.test(user) || !/^[0-9a-f-]{36}$/.test(issueId) || !/^\d{1,12}$/.test(expires)) return undefined;
    const expected = this.mac(`${user}.${issueId}.${expires}`);
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    if (Number(expires) * 1000 <= Date.now()) return undefined;
    return { userId: Number(user), issueId };
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest();
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
