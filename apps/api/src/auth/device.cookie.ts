import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import { authConfig } from './auth.config.js';

const NAME = 'device';
/** Only the sign-in route reads it, so no other request carries it. */
const PATH = '/api/auths/';
const MAX_AGE_SECONDS = 180 * 86_400;

/**
 * OWASP's device cookies: after a successful sign-in the client gets `<id>.<mac>`, the MAC binding a
 * random id to the account, under a key derived from JWT_SECRET (never the signing key itself). A
 * sign-in that brings a valid one for its account comes from a client that knew the password before,
 * and is not held by the per-account lockout a distributed attack can cause.
 */
@Injectable()
export class DeviceCookies {
  private readonly key: Buffer;

  constructor(@Inject(authConfig.KEY) env: ConfigType<typeof authConfig>) {
    this.key = createHmac('sha256', env.JWT_SECRET).update('scoopadive device cookie v1').digest();
  }

  /** The device id of the request's cookie if it is valid for `account`, else undefined. */
  read(req: FastifyRequest, account: string): string | undefined {
    const value = cookieValue(req.headers.cookie, NAME);
    const [id, mac, extra] = value?.split('.') ?? [];
    if (!id || !mac || extra !== undefined || !/^[\w-]{22}$/.test(id)) return undefined;
    const expected = this.mac(account, id);
    const given = Buffer.from(mac, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
  }

  /** A Set-Cookie header value with a new device id for `account`. */
  issue(account: string, secure: boolean): string {
    const id = randomBytes(16).toString('base64url');
    const value = `${id}.${this.mac(account, id).toString('base64url')}`;
    return `${NAME}=${value}; Path=${PATH}; Max-Age=${MAX_AGE_SECONDS}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  }

  private mac(account: string, id: string): Buffer {
    return createHmac('sha256', this.key).update(`${account}\n${id}`).digest();
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
