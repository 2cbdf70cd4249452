import type { ConfirmChannel } from 'amqplib';
import type { MessagingEnv } from './messaging.config.js';
import { QUEUES, deadLetterQueueName, deadLetterQueueOptions, queueName, queueOptions } from './queues.js';

/** Declares every queue and its dead-letter queue; idempotent, run on each (re)connect by both apps. */
export async function assertTopology(channel: ConfirmChannel, env: MessagingEnv): Promise<void> {
  for (const name of QUEUES) {
    await channel.assertQueue(deadLetterQueueName(env.QUEUE_PREFIX, name), deadLetterQueueOptions);
    await channel.assertQueue(queueName(env.QUEUE_PREFIX, name), queueOptions(env.QUEUE_PREFIX, name, env.QUEUE_DELIVERY_LIMIT));
  }
}
