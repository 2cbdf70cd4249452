import { CACHE_MANAGER, CacheInterceptor } from '@nestjs/cache-manager';
import { type CallHandler, type ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Cache } from 'cache-manager';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, map, type Observable, of } from 'rxjs';
import { type CachedBody, ViewCache } from '@app/cache';
import { appConfig } from '../app.config.js';
import { IS_PUBLIC } from '../auth/public.decorator.js';
import { countViewCache } from '../metrics/api.metrics.js';
import { CachedViewRoutes } from './cached-view.routes.js';
import { CACHED_VIEW, type CachedViewOptions, viewFamilies } from './cached-view.decorator.js';
import { publicOrigin } from './public-origin.js';
import { RawJson } from './raw-json.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** A conditional GET whose ETag still matches; the exception filter answers it with an empty 304. */
export class NotModifiedException extends HttpException {
  constructor() {
    super('', HttpStatus.NOT_MODIFIED);
  }
}

/**
 * Nest's CacheInterceptor, specialised: keys come from CacheKeys (generation, view, viewer, digest of
 * the canonical request) instead of the bare URL, bodies are stored and served as bytes with an ETag,
 * and `If-None-Match` gets a 304. Per-user views key by the caller's id; shared views by 0, and a
 * shared view's `personalize` adapts its bytes to each caller on every answer. Without a generation
 * from Redis (down, hung past the command timeout) the request simply skips the cache.
 */
@Injectable()
export class ViewCacheInterceptor extends CacheInterceptor {
  private readonly inflight = new Map<string, Promise<CachedBody>>();

  constructor(
    @Inject(CACHE_MANAGER) cacheManager: Cache,
    reflector: Reflector,
    private readonly views: ViewCache,
    private readonly routes: CachedViewRoutes,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {
    super(cacheManager, reflector);
  }

  override async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const options = this.reflector.get<CachedViewOptions | undefined>(CACHED_VIEW, context.getHandler());
    const variant = options && this.views.enabled && req.method === 'GET' ? this.trackBy(context) : undefined;
    const found =
      options && variant
        ? await this.views.lookup(viewFamilies(options), options.name, options.perUser ? (req.user?.id ?? 0) : 0, variant)
        : undefined;
    const personalize = options?.personalize;
    const personal = (entry: CachedBody) => (personalize ? personalize(entry, req.user ?? null) : entry);
    if (options && variant) countViewCache(viewFamilies(options), options.name, found?.hit ? 'hit' : found ? 'miss' : 'bypass');
    if (!options || !variant || !found) {
      return next.handle().pipe(
        map((result) => {
          if (!(result instanceof RawJson)) return result;
          return this.send(reply, personalize ? personal({ etag: '', body: Buffer.from(result.text) }).body : result.text);
        }),
      );
    }

    const { key, hit } = found;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) ?? false;
    this.routes.learn(publicOrigin(req, this.env.PUBLIC_URL), req, {
      families: viewFamilies(options),
      name: options.name,
      perUser: options.perUser,
      variant,
      public: isPublic,
      personalize,
    });
    if (hit) {
      void reply.header('X-Cache', 'HIT');
      return of(this.answer(req, reply, personal(hit)));
    }
    // Concurrent misses of one key in this process share one computation: the body depends on
    // nothing but the key, and a cold page under 1,000 connections would otherwise run its query
    // 1,000 times at once.
    let computing = this.inflight.get(key);
    if (!computing) {
      computing = lastValueFrom(next.handle()).then((result) => {
        const body = Buffer.from(result instanceof RawJson ? result.text : JSON.stringify(result));
        return { etag: ViewCache.etagOf(body), body };
      });
      this.inflight.set(key, computing);
      // Shared until Redis holds it: a request whose GET was answered "miss" before the SET landed
      // still finds the computation here.
      const shared = computing;
      void shared
        .then((entry) => this.views.set(key, entry))
        .finally(() => this.inflight.delete(key))
        .catch(() => undefined);
    }
    return from(computing).pipe(
      map((entry) => {
        void reply.header('X-Cache', 'MISS');
        return this.answer(req, reply, personal(entry));
      }),
    );
  }

  /** Digest of what the body depends on besides the viewer: origin (absolute URLs), path, query. */
  protected override trackBy(context: ExecutionContext): string | undefined {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const options = this.reflector.get<CachedViewOptions>(CACHED_VIEW, context.getHandler());
    const query = req.query as Record<string, unknown>;
    const params = (options.query ?? []).map((name) => `${name}=${String(query[name] ?? '')}`).join('&');
    const path = req.url.split('?', 1)[0];
    return createHash('sha1')
      .update(`${publicOrigin(req, this.env.PUBLIC_URL)}\n${path}\n${params}`)
      .digest('base64url');
  }

  private answer(req: FastifyRequest, reply: FastifyReply, entry: CachedBody): Buffer {
    const fresh = answerCached(req, reply, entry);
    if (!fresh) throw new NotModifiedException();
    return fresh;
  }

  private send<T extends string | Buffer>(reply: FastifyReply, body: T): T {
    void reply.header('Content-Type', JSON_TYPE);
    return body;
  }
}

/** Sets the ETag and content type of a cached body; undefined when `If-None-Match` makes it a 304. */
export function answerCached(req: FastifyRequest, reply: FastifyReply, { etag, body }: CachedBody): Buffer | undefined {
  void reply.header('ETag', etag);
  const conditional = req.headers['if-none-match'];
  if (conditional && conditional.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return undefined;
  void reply.header('Content-Type', JSON_TYPE);
  return body;
}
