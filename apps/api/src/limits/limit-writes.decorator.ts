import { applyDecorators, type CanActivate, type ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { type WriteKind, WriteLimiter } from './write.limiter.js';

const WRITE_KIND = 'writeKind';

/**
 * Runs after the global JWT guard, so the caller is known; a request it lets through has been counted.
 * Anonymous requests are left to the JWT guard's 401 (it has already refused them on private routes).
 */
@Injectable()
export class WriteLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly writes: WriteLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const kind = this.reflector.get<WriteKind | undefined>(WRITE_KIND, context.getHandler());
    const user = context.switchToHttp().getRequest<FastifyRequest>().user;
    if (kind && user) await this.writes.admit(kind, user.id);
    return true;
  }
}

/** Limits this route per user by WRITE_LIMIT_<KIND>_PER_MINUTE: beyond it 429 with Retry-After. */
export const LimitWrites = (kind: WriteKind) =>
  applyDecorators(
    SetMetadata(WRITE_KIND, kind),
    UseGuards(WriteLimitGuard),
    ApiTooManyRequestsResponse({ description: `More ${kind} writes per minute than WRITE_LIMIT_${kind.toUpperCase()}_PER_MINUTE` }),
  );
