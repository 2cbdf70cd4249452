import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import amqp, { type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import { messagingConfig, type MessagingEnv } from './messaging.config.js';
import { assertTopology } from './topology.js';

/**
 * The process's RabbitMQ connection. amqp-connection-manager reconnects by itself and re-runs channel
 * setups (the topology) on every reconnect. The channel is a confirm channel for publishers to share.
 * Note that its wrapper queues publishes in memory while the broker is away: a publisher must bound
 * its wait for the confirm and answer 503 past it (DESIGN.md: never buffer commands without a bound).
 */
@Injectable()
export class AmqpConnection implements OnApplicationShutdown {
  private readonly logger = new Logger(AmqpConnection.name);
  readonly manager: AmqpConnectionManager;
  readonly channel: ChannelWrapper;

  constructor(@Inject(messagingConfig.KEY) readonly env: MessagingEnv) {
    this.manager = amqp.connect([env.RABBITMQ_URL], {
      heartbeatIntervalInSeconds: 10,
      reconnectTimeInSeconds: 1,
      connectionOptions: { timeout: 5_000 },
    });
    this.manager.on('connect', () => this.logger.log('rabbitmq connected'));
    this.manager.on('disconnect', ({ err }) => this.logger.warn(`rabbitmq disconnected: ${err?.message ?? 'closed'}`));
    this.manager.on('connectFailed', ({ err }) => this.logger.warn(`rabbitmq connect failed: ${err?.message}`));
    this.channel = this.manager.createChannel({
      confirm: true,
      json: false,
      setup: (channel: ConfirmChannel) => assertTopology(channel, env),
    });
  }

  isConnected(): boolean {
    return this.manager.isConnected();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.channel.close().catch(() => undefined);
    await this.manager.close().catch(() => undefined);
  }
}
