import { createHash } from 'node:crypto';
import type { CachedBody } from '@app/cache';
import type { AuthUser } from '../../users/auth-user.js';

const NO_EMAIL = Buffer.from('"email" : null');

/**
 * Diver lists are built and cached once for everyone, every `email` null; this writes the caller's own
 * address into the caller's own entry. A byte splice on Postgres's JSON text (`{"id" : 7,
 * "profile_image" : …, "email" : null`), not a parse of a list of every diver: inside a JSON string
 * a quote is escaped, so neither pattern can match user-written text. The ETag gains a digest of the
 * caller, so a conditional request never revalidates one caller's copy as another's.
 */
export function withOwnEmail(entry: CachedBody, caller: AuthUser | null): CachedBody {
  if (!caller) return entry;
  const start = entry.body.indexOf(`{"id" : ${caller.id}, "profile_image" : `);
  const at = start < 0 ? -1 : entry.body.indexOf(NO_EMAIL, start);
  if (at < 0) return entry;
  const body = Buffer.concat([
    entry.body.subarray(0, at),
    Buffer.from(`"email" : ${JSON.stringify(caller.email)}`),
    entry.body.subarray(at + NO_EMAIL.length),
  ]);
  const whose = createHash('sha1').update(`${caller.id} ${caller.email}`).digest('base64url').slice(0, 12);
  return { etag: `${entry.etag.slice(0, -1)}.${whose}"`, body };
}
