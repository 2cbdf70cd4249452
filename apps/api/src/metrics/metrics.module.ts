import { Module } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';
import { MetricsController } from './metrics.controller.js';

let collecting = false;

@Module({ controllers: [MetricsController] })
export class MetricsModule {
  constructor() {
    // The default registry is process-wide; several apps in one test process must not register twice.
    if (!collecting) collectDefaultMetrics({ register });
    collecting = true;
  }
}
