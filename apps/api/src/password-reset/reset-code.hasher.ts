import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '../auth/auth.config.js';

/**
 * Codes and their stored form. A 6-digit code has a million values, so a plain hash would fall to an
 * offline search in a second: the stored form is an HMAC under a key derived from JWT_SECRET, salted
 * by the issue id, and a presented code is compared in constant time.
 */
@Injectable()
export class ResetCodeHasher {
  private readonly key: Buffer;

  constructor(@Inject(authConfig.KEY) auth: ConfigType<typeof authConfig>) {
    this.key = createHmac('sha256', auth.JWT_SECRET).update('scoopadive password reset code v1').digest();
  }

  /** Six uniformly random digits (leading zeros kept), from the CSPRNG. */
  newCode(): string {
    return String(randomInt(0, 1_000_000)).padStart(6, '0');
  }

  hash(issueId: string, code: string): Buffer {
    return createHmac('sha256', this.key).update(`${issueId}\n${code}`).digest();
  }

  matches(issueId: string, code: string, stored: Buffer): boolean {
    const given = this.hash(issueId, code);
    return stored.length === given.length && timingSafeEqual(given, stored);
  }
}
