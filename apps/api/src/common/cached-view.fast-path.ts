import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ViewCache } from '@app/cache';
import { validateEnv } from '@app/config';
import { AppEnv } from '../app.config.js';
import { JwtAuthGuard } from '../auth/jwt-auth.guard.js';
import { countViewCache } from '../metrics/api.metrics.js';
import { CachedViewRoutes } from './cached-view.routes.js';
import { publicOrigin } from './public-origin.js';
import { answerCached } from './view-cache.interceptor.js';

/**
 * Cache hits answered from a Fastify onRequest hook, ahead of Nest's middleware, guards,
 * interceptors and rxjs: on a 54 KB cached list that pipeline cost ~8× the work of sending the bytes.
 * It answers only what it is sure of, a URL the ViewCacheInterceptor has already keyed (so the key
 * rules live there alone), for a caller the JwtAuthGuard accepts, with the body in Redis; anything
 * else (a miss, a token to reject, a private view without a token, Redis away) continues to Nest,
 * which answers it the slow way with the same result.
 */
export function registerCachedViewFastPath(app: NestFastifyApplication): void {
  const views = app.get(ViewCache);
  if (!views.enabled) return;
  const routes = app.get(CachedViewRoutes);
  const guard = app.get(JwtAuthGuard);
  const { PUBLIC_URL } = validateEnv(AppEnv);

  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      if (req.method !== 'GET') return;
      const route = routes.match(publicOrigin(req, PUBLIC_URL), req);
      if (!route) return;
      const user = await guard.authenticate(req.headers.authorization).catch(() => undefined);
      if (user === undefined || (!user && !route.public)) return; // Nest's guard answers these
      const hit = (await views.lookup(route.families, route.name, route.perUser ? (user?.id ?? 0) : 0, route.variant))?.hit;
      if (!hit) return;
      // Only hits are counted here: anything else goes on to the interceptor, which counts it.
      countViewCache(route.families, route.name, 'hit');
      void reply.header('X-Cache', 'HIT');
      const body = answerCached(req, reply, route.personalize ? route.personalize(hit, user) : hit);
      return body ? reply.send(body) : reply.code(304).send();
    });
}
