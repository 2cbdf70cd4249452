import { Inject, Injectable } from '@nestjs/common';
import { AmqpConnection } from './amqp.connection.js';
import { type Command, type CommandKind, Commands } from './commands.js';
import { messagingConfig, type MessagingEnv } from './messaging.config.js';
import { queueName } from './queues.js';

/** The broker did not take the command: the caller must not report success (503, never 2xx). */
export class BrokerUnavailableError extends Error {
  constructor(reason: string) {
    super(`command not accepted by the broker: ${reason}`);
  }
}

/**
 * Publishes a command as a persistent message on its quorum queue and resolves only once the broker
 * has confirmed it. `mandatory` makes a queue that vanished come back as a return instead of a
 * silent drop, and the publish timeout also takes a not-yet-sent message out of the channel's
 * in-memory buffer, so an absent broker never accumulates commands in this process.
 */
@Injectable()
export class CommandPublisher {
  constructor(
    private readonly amqp: AmqpConnection,
    @Inject(messagingConfig.KEY) private readonly env: MessagingEnv,
  ) {}

  /** The command's id is the message id, so a consumer's log names the command it refused. */
  async publish<K extends CommandKind>(kind: K, command: Command<K>): Promise<void> {
    if (!this.amqp.isConnected()) throw new BrokerUnavailableError('not connected');
    const { queue, pattern } = Commands[kind];
    const messageId = command.id;
    const body = Buffer.from(JSON.stringify({ pattern, data: command }));
    try {
      await this.amqp.channel.sendToQueue(queueName(this.env.QUEUE_PREFIX, queue), body, {
        persistent: true,
        mandatory: true,
        contentType: 'application/json',
        messageId,
        timestamp: Math.floor(Date.now() / 1000),
        timeout: this.env.PUBLISH_CONFIRM_TIMEOUT_MS,
      });
    } catch (err) {
      throw new BrokerUnavailableError((err as Error).message);
    }
    // The broker sends a return before the confirm of the same message.
    if (this.amqp.takeReturned(messageId)) throw new BrokerUnavailableError('unroutable');
  }
}
