import { Controller, Get, Header } from '@nestjs/common';
import { register } from 'prom-client';
import { AmqpConnection } from '@app/messaging';
import { ConsumerState } from '../consumer.state.js';
import { consumerMetrics } from './consumer.metrics.js';

/** Prometheus scrapes the consumer here, on its health port (CONSUMER_HEALTH_HOST:CONSUMER_HEALTH_PORT). */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly amqp: AmqpConnection,
    private readonly state: ConsumerState,
  ) {}

  @Get()
  @Header('Content-Type', register.contentType)
  async metrics(): Promise<string> {
    consumerMetrics.ready.set(this.state.status === 'consuming' && this.amqp.isConnected() ? 1 : 0);
    return register.metrics();
  }
}
