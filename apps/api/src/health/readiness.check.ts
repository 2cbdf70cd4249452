import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InfraHealth } from './infra.health.js';

/** Postgres, Redis and RabbitMQ, each with its state: the full report, for the operations listener. */
@Injectable()
export class ReadinessCheck {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly infra: InfraHealth,
  ) {}

  /** Resolves with the report whether or not everything is up (`status` is "ok" or "error"). */
  async report(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.db.pingCheck('database', { timeout: 1_500 }),
        () => this.infra.redisPing(),
        () => this.infra.rabbitmq(),
      ]);
    } catch (err) {
      // Terminus reports a dependency down by throwing, with the same report as the response.
      if (err instanceof ServiceUnavailableException) return err.getResponse() as HealthCheckResult;
      throw err;
    }
  }
}
