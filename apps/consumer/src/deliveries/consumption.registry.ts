import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RmqContext } from '@nestjs/microservices';
import type { Channel, Message } from 'amqplib';
import { type Command, type CommandKind, type Delivered, MALFORMED, messagingConfig, type MessagingEnv } from '@app/messaging';
import { consumerMetrics } from '../metrics/consumer.metrics.js';
import { deadLetter, type Delivery } from './delivery.js';

/**
 * The consumers this process runs, learned from their deliveries (Nest's RMQ transport does not hand
 * out its channels), so that shutdown can cancel them: the broker then stops delivering while the
 * channels stay open for the acks of what is still held.
 */
@Injectable()
export class ConsumptionRegistry {
  private readonly logger = new Logger(ConsumptionRegistry.name);
  private readonly consumers = new Map<Channel, string>();
  private stopped: Promise<void> | undefined;

  constructor(@Inject(messagingConfig.KEY) private readonly messaging: MessagingEnv) {}

  /**
   * Every handler calls this first, with what it is given; the delivery is counted here, per queue.
   * A malformed command is dead-lettered here too (undefined): a handler is left with good commands.
   * Never throws: a throwing handler would leave its message unacked for the life of the channel.
   */
  receive<K extends CommandKind>(
    kind: K,
    command: Delivered<K>,
    context: RmqContext,
  ): { command: Command<K>; delivery: Delivery } | undefined {
    const delivery = this.delivery(context);
    if (command !== MALFORMED) return { command, delivery };
    this.logger.warn(`malformed ${kind} command ${delivery.message.properties.messageId ?? ''} dead-lettered`);
    deadLetter(delivery);
    return undefined;
  }

  private delivery(context: RmqContext): Delivery {
    const message = context.getMessage() as Message;
    const channel = context.getChannelRef() as Channel;
    if (message.fields.consumerTag) this.consumers.set(channel, message.fields.consumerTag);
    // Commands are sent to their queue through the default exchange: the routing key is `<prefix>.<queue>`.
    const { routingKey } = message.fields;
    const prefix = `${this.messaging.QUEUE_PREFIX}.`;
    const queue = routingKey.startsWith(prefix) ? routingKey.slice(prefix.length) : routingKey;
    consumerMetrics.received.inc({ queue });
    if (message.fields.redelivered) consumerMetrics.redelivered.inc({ queue });
    return { message, channel, queue };
  }

  /**
   * Cancels every consumer, once however many callers: each holder of deliveries awaits this in its
   * shutdown hook before it drains, whatever order Nest runs the hooks in.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      for (const [channel, tag] of this.consumers) await channel.cancel(tag).catch(() => undefined);
    })();
    return this.stopped;
  }
}
