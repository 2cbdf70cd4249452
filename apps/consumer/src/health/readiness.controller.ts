import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { AmqpConnection } from '@app/messaging';
import { ConsumerState } from '../consumer.state.js';

/** For an orchestrator: 200 once connected and consuming, 503 while paused, draining or disconnected. */
@Controller('health')
export class ReadinessController {
  constructor(
    private readonly amqp: AmqpConnection,
    private readonly state: ConsumerState,
  ) {}

  @Get()
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  ready() {
    const body = { status: this.state.status, rabbitmq: this.amqp.isConnected() ? 'up' : 'down' };
    if (this.state.status !== 'consuming' || !this.amqp.isConnected()) throw new ServiceUnavailableException(body);
    return body;
  }
}
