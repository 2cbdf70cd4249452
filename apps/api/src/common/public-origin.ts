import type { FastifyRequest } from 'fastify';

/**
 * The origin absolute URLs are built on: PUBLIC_URL when set, else the request's own scheme and host
 * (which honour X-Forwarded-* only when TRUST_PROXY says so, and passed the ALLOWED_HOSTS check).
 * Cached views key by it: lower-cased, so that the case of a Host header never makes a new entry.
 */
export function publicOrigin(req: FastifyRequest, publicUrl?: string): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  return `${req.protocol}://${req.host.toLowerCase()}`;
}
