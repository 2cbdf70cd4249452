import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Answers the request (and does not call `next`), or calls `next` for Nest to answer it. */
export type Answer = (req: FastifyRequest, reply: FastifyReply, next: () => void) => void;

/**
 * A Fastify onRequest hook that answers some requests ahead of Nest's middleware, guards,
 * interceptors and rxjs (cached-view.fast-path.ts says why and how the hooks are ordered). It is
 * added when the Fastify instance is made, before NestFactory.create adds middie's, and answers only
 * once `serve` has handed it an answerer built from the app; until then, and for every request
 * `wants` declines, it passes straight on. A callback hook, not an async one: an answer that needs
 * nothing outside the process is given without a single promise.
 */
export function answerAheadOfNest(fastify: FastifyInstance, wants: (req: FastifyRequest) => boolean): { serve(answerer: Answer): void } {
  let answer: Answer | undefined;
  fastify.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, next: () => void) => {
    if (answer && wants(req)) answer(req, reply, next);
    else next();
  });
  return {
    serve(answerer) {
      answer = answerer;
    },
  };
}

/** What cachedViewFastPath and likeCommandFastPath return: the app is handed over once it exists. */
export interface AheadOfNest {
  serve(app: NestFastifyApplication): void;
}
