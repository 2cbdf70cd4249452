import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { ViewCache } from '@app/cache';
import { validateEnv } from '@app/config';
import { AppEnv } from '../app.config.js';
import { JwtAuthGuard } from '../auth/jwt-auth.guard.js';
import { countViewCache } from '../metrics/api.metrics.js';
import { CachedViewRoutes } from './cached-view.routes.js';
import { publicOrigin } from './public-origin.js';
import { answerCached } from './view-cache.interceptor.js';

type Answer = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

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
 */
export function cachedViewFastPath(fastify: FastifyInstance): { serve(app: NestFastifyApplication): void } {
  let answer: Answer | undefined;
  fastify.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (answer && req.method === 'GET' && req.headers['content-type'] === undefined) return answer(req, reply);
  });
  return {
    serve(app) {
      const views = app.get(ViewCache);
      if (views.enabled) answer = hitAnswerer(app, views);
    },
  };
}

function hitAnswerer(app: NestFastifyApplication, views: ViewCache): Answer {
  const routes = app.get(CachedViewRoutes);
  const guard = app.get(JwtAuthGuard);
  const { PUBLIC_URL } = validateEnv(AppEnv);
  const log = PinoLogger.root;
  return async (req, reply) => {
    const route = routes.match(publicOrigin(req, PUBLIC_URL), req);
    if (!route) return;
    const user = await guard.authenticate(req.headers.authorization).catch(() => undefined);
    if (user === undefined || (!user && !route.public)) return; // Nest's guard answers these
    const viewer = route.perUser ? (user?.id ?? 0) : 0;
    const hit = (await views.lookup(route.families, route.name, viewer, route.variant, route.likesPerLogbook))?.hit;
    if (!hit) return;
    // Only hits are counted here: anything else goes on to the interceptor, which counts it.
    countViewCache(route.families, route.name, 'hit');
    void reply.header('X-Cache', 'HIT');
    const body = answerCached(req, reply, route.personalize ? route.personalize(hit, user) : hit);
    if (log.isLevelEnabled('debug'))
      log.debug({ reqId: req.id, method: req.method, url: req.url, statusCode: body ? 200 : 304 }, 'cache hit');
    return body ? reply.send(body) : reply.code(304).send();
  };
}
