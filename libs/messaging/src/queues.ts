import type { Options } from 'amqplib';
import { type CommandKind, Commands } from './commands.js';

/** The command queues, one per command kind; `<prefix>.<name>` on the broker, dead letters in `<queue>.dlq`. */
export type QueueName = (typeof Commands)[CommandKind]['queue'];
export const QUEUES: readonly QueueName[] = Object.values(Commands).map((c) => c.queue);

export function queueName(prefix: string, name: QueueName): string {
  return `${prefix}.${name}`;
}

export function deadLetterQueueName(prefix: string, name: QueueName): string {
  return `${queueName(prefix, name)}.dlq`;
}

/**
 * Arguments both sides assert the queues with: the broker refuses a redeclaration whose arguments
 * differ, so the API and the consumer must take them from here.
 *
 * Quorum queues give a replicated, durable log and count deliveries; past the limit a message goes
 * to the dead-letter queue through the default exchange. At-least-once dead-lettering (RabbitMQ 3.10+)
 * keeps a message until the DLQ confirms it, which needs `reject-publish` overflow.
 */
export function queueOptions(prefix: string, name: QueueName, deliveryLimit: number): Options.AssertQueue {
  return {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': deliveryLimit,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': deadLetterQueueName(prefix, name),
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    },
  };
}

export const deadLetterQueueOptions: Options.AssertQueue = {
  durable: true,
  arguments: { 'x-queue-type': 'quorum' },
};
