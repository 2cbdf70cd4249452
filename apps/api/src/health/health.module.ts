import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { InfraHealth } from './infra.health.js';
import { ReadinessCheck } from './readiness.check.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [InfraHealth, ReadinessCheck],
  exports: [ReadinessCheck],
})
export class HealthModule {}
