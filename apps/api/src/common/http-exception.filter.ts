import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { isDatabaseUnavailable, isMissingUser } from '@app/database';
import { BrokerUnavailableError } from '@app/messaging';
import { tokenErrors } from '../auth/token-errors.js';
import { TooManyRequestsException } from '../limits/too-many-requests.exception.js';
import { apiMetrics } from '../metrics/api.metrics.js';

/**
 * Every error leaves in the original's DRF shapes: `{"detail": "..."}` or `{"field": ["msg"]}`.
 * Bodies that already have such a shape pass through; Nest's `{statusCode, message, error}` and
 * Fastify's own errors (bad JSON, body too large, wrong media type) are reduced to `detail`. Anything
 * else is a 500 whose body says nothing about the cause: stacks and SQL go to the log only.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpException');

  catch(exception: unknown, host: ArgumentsHost): void {
    this.answer(exception, host.switchToHttp().getResponse<FastifyReply>());
  }

  /** The answer to `exception`; also for replies made ahead of Nest (like-command.fast-path.ts). */
  answer(exception: unknown, reply: FastifyReply): void {
    if (exception instanceof HttpException && exception.getStatus() === HttpStatus.NOT_MODIFIED) {
      void reply.status(HttpStatus.NOT_MODIFIED).send();
      return;
    }
    if (exception instanceof BrokerUnavailableError) {
      // Never a 2xx without the broker's confirm; the client may simply retry (commands are idempotent).
      apiMetrics.unavailable.inc({ cause: `broker_${exception.refusal}` });
      void reply
        .status(HttpStatus.SERVICE_UNAVAILABLE)
        .header('Retry-After', '2')
        .send({ detail: 'The command could not be queued; try again shortly.' });
      this.logger.warn(exception.message);
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      apiMetrics.unavailable.inc({ cause: 'database' });
      this.logger.warn(`database unavailable: ${(exception as Error).message}`);
      void reply
        .status(HttpStatus.SERVICE_UNAVAILABLE)
        .header('Retry-After', '5')
        .send({ detail: 'Service temporarily unavailable; try again shortly.' });
      return;
    }
    if (isMissingUser(exception)) {
      void reply
        .status(HttpStatus.UNAUTHORIZED)
        .header('WWW-Authenticate', 'Bearer realm="api"')
        .send(tokenErrors.userNotFound().getResponse());
      return;
    }
    if (exception instanceof TooManyRequestsException) void reply.header('Retry-After', String(exception.retryAfterSeconds));
    const [status, body] = this.toResponse(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    void reply.status(status).send(body);
  }

  private toResponse(exception: unknown): [number, object] {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      if (typeof res === 'string') return [status, { detail: res }];
      const obj = res as Record<string, unknown>;
      if ('statusCode' in obj && 'message' in obj) {
        if (status === HttpStatus.NOT_FOUND) return [status, { detail: 'Not found.' }];
        const message = Array.isArray(obj.message) ? obj.message.join('; ') : String(obj.message);
        return [status, { detail: message }];
      }
      return [status, obj];
    }
    // Fastify's own errors carry a 4xx statusCode and a safe message (e.g. "Body is not valid JSON").
    const err = exception as { statusCode?: number; message?: string; code?: string };
    if (typeof err?.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      const detail =
        err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
          ? `JSON parse error - ${err.message}`
          : (err.message ?? 'Bad request.');
      return [err.statusCode, { detail }];
    }
    return [HttpStatus.INTERNAL_SERVER_ERROR, { detail: 'Internal server error.' }];
  }
}
