import type { FastifyRequest } from 'fastify';

/**
 * The origin absolute URLs are built on: PUBLIC_URL when set, else the request's own scheme and host
 * (which honour X-Forwarded-* only when TRUST_PROXY says so). Cached views key by it, so a forged
 * Host header can only ever poison the forger's own entries.
 */
export function publicOrigin(req: FastifyRequest, publicUrl?: string): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  return `${req.protocol}://${req.host}`;
}
