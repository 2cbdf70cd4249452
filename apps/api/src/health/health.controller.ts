import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { ReadinessCheck } from './readiness.check.js';
import { Health } from './dto/health.dto.js';

@ApiTags('ops')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessCheck) {}

  /** Liveness: the process answers. Dependencies are readiness's business. */
  @Get()
  @ApiOkResponse({ type: Health })
  live() {
    return { status: 'ok' };
  }

  /**
   * 200 `{status: "ok"}` when Postgres, Redis and RabbitMQ all answer, else 503 `{status: "error"}`.
   * Which one is down is for operators only: the report is on the operations listener (METRICS_PORT).
   */
  @Get('ready')
  @ApiOkResponse({ type: Health, description: 'Postgres, Redis and RabbitMQ answer' })
  @ApiServiceUnavailableResponse({ type: Health, description: 'One of them does not: {"status": "error"}' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const { status } = await this.readiness.report();
    if (status !== 'ok') void reply.code(503);
    return { status };
  }
}
