import { Module } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';
import { MetricsController } from './metrics.controller.js';

/** `/metrics` on the health port: the consumer's own metrics (consumer.metrics.ts) and the process's. */
@Module({ controllers: [MetricsController] })
export class ConsumerMetricsModule {
  constructor() {
    // The default registry is process-wide: a test process that also builds an API must not collect twice.
    if (!register.getSingleMetric('nodejs_version_info')) collectDefaultMetrics({ register });
  }
}
