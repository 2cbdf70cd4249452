import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { ViewFamily } from '@app/cache';
import type { Personalize } from './cached-view.decorator.js';

/** Everything the view cache key of one request URL needs besides the generation and the viewer. */
export interface CachedViewRoute {
  families: readonly ViewFamily[];
  name: string;
  perUser: boolean;
  /** The request digest ViewCacheInterceptor keyed the body by. */
  variant: string;
  /** Anonymous callers may read it (else the fast path leaves them to the guard's 401). */
  public: boolean;
  personalize?: Personalize;
  /** Shows the likes of a few logbooks, checked on every hit (ViewCache.lookup). */
  likesPerLogbook: boolean;
}

/**
 * Request URLs the ViewCacheInterceptor has keyed, as it keyed them, so that CachedViewFastPath can
 * answer the next hit before Nest's pipeline runs without a second copy of the key rules: it only ever
 * serves URLs the interceptor has described. Bounded: an attacker's endless query strings only evict.
 */
@Injectable()
export class CachedViewRoutes {
  private readonly routes = new LRUCache<string, CachedViewRoute>({ max: 10_000 });

  learn(origin: string, req: FastifyRequest, route: CachedViewRoute): void {
    this.routes.set(`${origin}${req.url}`, route);
  }

  match(origin: string, req: FastifyRequest): CachedViewRoute | undefined {
    return this.routes.get(`${origin}${req.url}`);
  }
}
