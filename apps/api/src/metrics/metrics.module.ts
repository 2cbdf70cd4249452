import { Module } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';

/** Process metrics into the default registry; they are served by the operations listener (ops.server.ts). */
@Module({})
export class MetricsModule {
  constructor() {
    // The default registry is process-wide; several apps in one test process must not register twice.
    if (!register.getSingleMetric('nodejs_version_info')) collectDefaultMetrics({ register });
  }
}
