import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { BrokerUnavailableError } from '@app/messaging';
import { JwtAuthGuard } from '../auth/jwt-auth.guard.js';
import { apiMetrics } from '../metrics/api.metrics.js';
import { type LikeAnswer, LikesService } from './likes.service.js';

/** `/api/logbooks/<id>/like/` with an id ParseIdPipe accepts, no query string; the slash is optional as in the router. */
const LIKE_URL = /^\/api\/logbooks\/([1-9]\d{0,14})\/like\/?$/;

/** Answers the request (and does not call `next`), or calls `next` for Nest to answer it. */
type Answer = (req: FastifyRequest, reply: FastifyReply, next: () => void) => void;

/**
 * Likes and unlikes answered from a Fastify onRequest hook, ahead of Nest's pipeline, as cache hits
 * are (cached-view.fast-path.ts, which says how the hooks are ordered): a like's own work is a
 * lookup in process memory and a confirmed publish, and Nest's middleware (pino-http's request
 * logger), guards, interceptors and rxjs cost more than that. It answers only what it is sure of: a
 * caller the JwtAuthGuard accepts from memory and a logbook whose state LikeStateCache holds for that
 * caller. Anything else (no or a bad token, a token only Redis can vouch for, a logbook not seen yet,
 * a body that is not JSON) goes on to LikesController, which answers it the slow way with the same
 * result. Once published, the outcome is answered here as HttpExceptionFilter would: 202 with the
 * state, or 503 + Retry-After when the broker did not confirm.
 */
export function likeCommandFastPath(fastify: FastifyInstance): { serve(app: NestFastifyApplication): void } {
  let answer: Answer | undefined;
  fastify.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, next: () => void) => {
    if (answer && (req.method === 'POST' || req.method === 'DELETE')) answer(req, reply, next);
    else next();
  });
  return {
    serve(app) {
      answer = likeAnswerer(app);
    },
  };
}

function likeAnswerer(app: NestFastifyApplication): Answer {
  const guard = app.get(JwtAuthGuard);
  const likes = app.get(LikesService);
  const log = PinoLogger.root;
  const answered = (req: FastifyRequest, reply: FastifyReply, state: LikeAnswer) => {
    if (log.isLevelEnabled('debug')) log.debug({ reqId: req.id, method: req.method, url: req.url, statusCode: 202 }, 'like queued');
    void reply.code(202).send(state);
  };
  const refused = (req: FastifyRequest, reply: FastifyReply, err: unknown) => {
    if (err instanceof BrokerUnavailableError) {
      // Never a 2xx without the broker's confirm; the client may simply retry (commands are idempotent).
      apiMetrics.unavailable.inc({ cause: `broker_${err.refusal}` });
      log.warn({ reqId: req.id }, err.message);
      void reply.code(503).header('Retry-After', '2').send({ detail: 'The command could not be queued; try again shortly.' });
      return;
    }
    log.error({ reqId: req.id, err }, 'like not queued');
    void reply.code(500).send({ detail: 'Internal server error.' });
  };
  return (req, reply, next) => {
    const type = req.headers['content-type'];
    const id = LIKE_URL.exec(req.url)?.[1];
    if (!id || (type !== undefined && !type.startsWith('application/json'))) return next();
    const user = guard.authenticateNear(req.headers.authorization);
    if (!user) return next(); // none, refused, or only Redis can say: the guard answers
    const pending = likes.setNear(user.id, Number(id), req.method === 'POST');
    if (!pending) return next();
    pending.then(
      (state) => answered(req, reply, state),
      (err: unknown) => refused(req, reply, err),
    );
  };
}
