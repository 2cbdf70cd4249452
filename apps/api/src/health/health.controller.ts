import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator.js';
import { InfraHealth } from './infra.health.js';

@ApiTags('ops')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly infra: InfraHealth,
  ) {}

  /** Liveness: the process answers. Dependencies are readiness's business. */
  @Get()
  live() {
    return { status: 'ok' };
  }

  /** 200 when Postgres, Redis and RabbitMQ all answer, else 503 with each one's state. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 1_500 }),
      () => this.infra.redisPing(),
      () => this.infra.rabbitmq(),
    ]);
  }
}
