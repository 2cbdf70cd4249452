import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { type CachedBody, ViewCache } from '@app/cache';
import { validateEnv } from '@app/config';
import { AppEnv } from '../app.config.js';
import { JwtAuthGuard } from '../auth/jwt-auth.guard.js';
import { countViewCache } from '../metrics/api.metrics.js';
import type { AuthUser } from '../users/auth-user.js';
import { type AheadOfNest, type Answer, answerAheadOfNest } from './ahead-of-nest.hook.js';
import { type CachedViewRoute, CachedViewRoutes } from './cached-view.routes.js';
import { publicOrigin } from './public-origin.js';
import { answerCached } from './view-cache.interceptor.js';

/**
 * Cache hits answered from a Fastify onRequest hook, ahead of Nest's middleware (pino-http's request
 * logger among them), guards, interceptors and rxjs: on a 60 KB cached list that pipeline cost several
 * times the work of sending the bytes, and creating a request logger alone ~14 % of a hit.
 * It answers only what it is sure of, a URL the ViewCacheInterceptor has already keyed (so the key
 * rules live there alone), for a caller the JwtAuthGuard accepts, with the body in the cache; anything
 * else (a miss, a token to reject, a private view without a token, Redis away, a GET that carries a
 * body type) continues to Nest, which answers it the slow way with the same result.
 *
 * The hook is added when the Fastify instance is made, before NestFactory.create adds middie's (which
 * runs Nest's middleware), and answers once `serve` has handed it the app; the hooks added before it
 * (security headers, the host check) run first. A hit is logged at debug, as pino-http logs a success.
 * A hit whose caller and body are in process memory is answered without a single promise
 * (answerAheadOfNest); one that needs Redis takes the same decisions through their async forms.
 */
export function cachedViewFastPath(fastify: FastifyInstance): AheadOfNest {
  const hook = answerAheadOfNest(fastify, (req) => req.method === 'GET' && req.headers['content-type'] === undefined);
  return {
    serve(app) {
      const views = app.get(ViewCache);
      if (views.enabled) hook.serve(hitAnswerer(app, views));
    },
  };
}

function hitAnswerer(app: NestFastifyApplication, views: ViewCache): Answer {
  const routes = app.get(CachedViewRoutes);
  const guard = app.get(JwtAuthGuard);
  const { PUBLIC_URL } = validateEnv(AppEnv);
  const log = PinoLogger.root;
  const send = (req: FastifyRequest, reply: FastifyReply, route: CachedViewRoute, hit: CachedBody, user: AuthUser | null) => {
    // Only hits are counted here: anything else goes on to the interceptor, which counts it.
    countViewCache(route.families, route.name, 'hit');
    void reply.header('X-Cache', 'HIT');
    const body = answerCached(req, reply, route.personalize ? route.personalize(hit, user) : hit);
    if (log.isLevelEnabled('debug'))
      log.debug({ reqId: req.id, method: req.method, url: req.url, statusCode: body ? 200 : 304 }, 'cache hit');
    void (body ? reply.send(body) : reply.code(304).send());
  };
  // The same decisions as below, through Redis where memory cannot say; false: Nest answers.
  const answerSlowly = async (req: FastifyRequest, reply: FastifyReply, route: CachedViewRoute): Promise<boolean> => {
    const user = await guard.authenticate(req.headers.authorization).catch(() => undefined);
    if (user === undefined || (!user && !route.public)) return false; // Nest's guard answers these
    const viewer = route.perUser ? (user?.id ?? 0) : 0;
    const hit = (await views.lookup(route.families, route.name, viewer, route.variant, route.likesPerLogbook))?.hit;
    if (!hit) return false;
    send(req, reply, route, hit, user);
    return true;
  };
  return (req, reply, next) => {
    const route = routes.match(publicOrigin(req, PUBLIC_URL), req);
    if (!route) return next();
    const user = guard.authenticateNear(req.headers.authorization);
    if (user !== undefined && (user || route.public)) {
      const hit = views.lookupNear(route.families, route.name, route.perUser ? (user?.id ?? 0) : 0, route.variant, route.likesPerLogbook);
      if (hit) return send(req, reply, route, hit, user);
    }
    // `next` runs outside the promise, so that whatever it throws is Fastify's, not a rejection's.
    const carryOn = () => process.nextTick(next);
    answerSlowly(req, reply, route).then((answered) => answered || carryOn(), carryOn);
  };
}
