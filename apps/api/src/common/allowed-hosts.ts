import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';

/** One ALLOWED_HOSTS entry: `host`, `host:port`, `.example.com` (it and its subdomains) or `*`. */
export const HOST_ENTRY = String.raw`(\*|\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?)`;
/** Names a development machine reaches itself by, on any port. */
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const HOST_SYNTAX = /^(\[[0-9a-f:.]+\]|[a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?$/;

/** The authority of absolute-form request lines (`GET http://host/path`), kept by absoluteFormToPath. */
const targetAuthority = new WeakMap<IncomingMessage, string>();

/**
 * Whether a Host (or X-Forwarded-Host, when trusted) is one we serve. Absolute URLs in bodies and the
 * view cache key derive from it, so an open list would let anyone mint a new cache entry per made-up
 * host. Entries without a port match any port, as Django's ALLOWED_HOSTS does.
 */
export function allowedHostMatcher(list: string | undefined, publicUrl?: string): (host: string) => boolean {
  const entries = list
    ? list.split(',').map((e) => e.trim().toLowerCase())
    : [...LOOPBACK, ...(publicUrl ? [new URL(publicUrl).hostname] : [])];
  const anyHost = entries.includes('*');
  // Answers remembered per Host value: a request pays a map lookup instead of a regex and a scan of
  // the list. Bounded: made-up hosts only evict.
  const known = new LRUCache<string, boolean>({ max: 1_000 });
  const check = (host: string) => {
    const parsed = HOST_SYNTAX.exec(host.toLowerCase());
    if (!parsed) return false;
    const [whole, name] = parsed;
    return (
      anyHost ||
      entries.some((entry) =>
        entry.startsWith('.') ? name === entry.slice(1) || name.endsWith(entry) : entry === name || entry === whole.toLowerCase(),
      )
    );
  };
  return (host) => {
    let allowed = known.get(host);
    if (allowed === undefined) known.set(host, (allowed = check(host)));
    return allowed;
  };
}

/**
 * Fastify's rewriteUrl: an absolute-form request line keeps only its path and query for routing, links
 * and cache keys; its authority is kept aside for the host check, which refuses it unless allowed.
 */
export function absoluteFormToPath(req: IncomingMessage): string {
  const url = req.url ?? '/';
  if (url.startsWith('/')) return url;
  try {
    const target = new URL(url);
    targetAuthority.set(req, target.host);
    return `${target.pathname}${target.search}`;
  } catch {
    targetAuthority.set(req, '');
    return '/';
  }
}

/** Refuses a request naming a host we do not serve, before routing and before the cache fast path. */
export function registerHostCheck(fastify: FastifyInstance, allowed: (host: string) => boolean): void {
  fastify.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done) => {
    const target = targetAuthority.get(req.raw);
    if (allowed(req.host) && (target === undefined || allowed(target))) return done();
    void reply.code(400).send({ detail: 'Invalid Host header.' });
  });
}
