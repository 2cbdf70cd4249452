import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import amqp, { type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, Message } from 'amqplib';
import { messagingConfig, type MessagingEnv } from './messaging.config.js';
import { assertTopology } from './topology.js';

/**
 * The process's RabbitMQ connection. amqp-connection-manager reconnects by itself and re-runs channel
 * setups (the topology) on every reconnect. The channel is a confirm channel for publishers to share.
 * Note that its wrapper queues publishes in memory while the broker is away: a publisher must bound
 * its wait for the confirm and answer 503 past it, or an absent broker would pile commands up in memory.
 */
@Injectable()
export class AmqpConnection implements OnApplicationShutdown {
  private readonly logger = new Logger(AmqpConnection.name);
  readonly manager: AmqpConnectionManager;
  readonly channel: ChannelWrapper;
  /** Ids of mandatory messages the broker returned as unroutable, until their publisher looks. */
  private readonly returned = new Set<string>();

  constructor(@Inject(messagingConfig.KEY) readonly env: MessagingEnv) {
    this.manager = amqp.connect([env.RABBITMQ_URL], {
      heartbeatIntervalInSeconds: 10,
      reconnectTimeInSeconds: 1,
      // noDelay: a publish is three frames written back to back; with Nagle's algorithm a frame
      // written while an earlier one is unacknowledged waits for the broker's (delayed) ACK, and a
      // lone command's confirm took 40 ms instead of 1 (bench/analysis.md).
      connectionOptions: { timeout: 5_000, noDelay: true },
    });
    this.manager.on('connect', () => this.logger.log('rabbitmq connected'));
    this.manager.on('disconnect', ({ err }) => this.logger.warn(`rabbitmq disconnected: ${err?.message ?? 'closed'}`));
    this.manager.on('connectFailed', ({ err }) => this.logger.warn(`rabbitmq connect failed: ${err?.message}`));
    this.channel = this.manager.createChannel({
      confirm: true,
      json: false,
      setup: async (channel: ConfirmChannel) => {
        channel.on('return', (msg: Message) => {
          const id = msg.properties.messageId as string | undefined;
          if (id) this.returned.add(id);
        });
        await assertTopology(channel, env);
      },
    });
    // A setup cut short by a closing connection is reported here; without a listener the wrapper's
    // 'error' event would be thrown as an unhandled rejection. The next reconnect runs setup again.
    this.channel.on('error', (err: Error) => this.logger.warn(`rabbitmq channel setup failed: ${err.message}`));
  }

  takeReturned(messageId: string): boolean {
    return this.returned.delete(messageId);
  }

  isConnected(): boolean {
    return this.manager.isConnected();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.channel.close().catch(() => undefined);
    await this.manager.close().catch(() => undefined);
  }
}
