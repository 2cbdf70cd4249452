import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { JwtAuthGuard } from '../auth/jwt-auth.guard.js';
import { type AheadOfNest, type Answer, answerAheadOfNest } from '../common/ahead-of-nest.hook.js';
import { HttpExceptionFilter } from '../common/http-exception.filter.js';
import { type LikeAnswer, LikesService } from './likes.service.js';

/** `/api/logbooks/<id>/like/` with an id ParseIdPipe accepts, no query string; the slash is optional as in the router. */
const LIKE_URL = /^\/api\/logbooks\/([1-9]\d{0,14})\/like\/?$/;

/**
 * Likes and unlikes answered from a Fastify onRequest hook, ahead of Nest's pipeline, as cache hits
 * are (cached-view.fast-path.ts, which says how the hooks are ordered): a like's own work is a
 * lookup in process memory and a confirmed publish, and Nest's middleware (pino-http's request
 * logger), guards, interceptors and rxjs cost more than that. It answers only what it is sure of: a
 * caller the JwtAuthGuard accepts from memory and a logbook whose state LikeStateCache holds for that
 * caller. Anything else (no or a bad token, a token only Redis can vouch for, a logbook not seen yet,
 * a body that is not JSON) goes on to LikesController, which answers it the slow way with the same
 * result. Once published, the outcome is answered here: 202 with the state, or whatever
 * HttpExceptionFilter answers for the error (503 + Retry-After when the broker did not confirm).
 */
export function likeCommandFastPath(fastify: FastifyInstance): AheadOfNest {
  const hook = answerAheadOfNest(fastify, (req) => req.method === 'POST' || req.method === 'DELETE');
  return {
    serve(app) {
      hook.serve(likeAnswerer(app));
    },
  };
}

function likeAnswerer(app: NestFastifyApplication): Answer {
  const guard = app.get(JwtAuthGuard);
  const likes = app.get(LikesService);
  const errors = new HttpExceptionFilter();
  const log = PinoLogger.root;
  const answered = (req: FastifyRequest, reply: FastifyReply, state: LikeAnswer) => {
    if (log.isLevelEnabled('debug')) log.debug({ reqId: req.id, method: req.method, url: req.url, statusCode: 202 }, 'like queued');
    void reply.code(202).send(state);
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
      (err: unknown) => errors.answer(err, reply),
    );
  };
}
