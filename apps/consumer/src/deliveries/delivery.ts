import { Logger } from '@nestjs/common';
import type { Channel, Message } from 'amqplib';
import { PUBLISHED_AT_HEADER } from '@app/messaging';
import { consumerMetrics } from '../metrics/consumer.metrics.js';

/** A message held unacked, with the channel it must be settled on (acks are per channel). */
export interface Delivery {
  message: Message;
  channel: Channel;
  /** The queue it came from, unprefixed (`likes`): the label of its metrics. */
  queue: string;
}

const logger = new Logger('Delivery');

/**
 * A settle on a channel lost since the delivery throws; the broker has requeued the message then, and
 * its redelivery is a no-op (versions for likes, `done` for photos), so the loss is only logged.
 */
function settle(what: string, run: () => void): void {
  try {
    run();
  } catch (err) {
    logger.warn(`${what} lost with its channel (${(err as Error).message}); the broker redelivers, a no-op`);
  }
}

/** Publish-to-ack time of each acked message that says when it was published (clock skew clamped to 0). */
function observeAcked(deliveries: Delivery[]): void {
  const now = Date.now();
  for (const { message, queue } of deliveries) {
    const publishedAt = Number(message.properties.headers?.[PUBLISHED_AT_HEADER]);
    if (publishedAt > 0) consumerMetrics.publishToAckSeconds.observe({ queue }, Math.max(0, now - publishedAt) / 1000);
  }
}

/** One ack per message: for work that finishes out of delivery order (recognitions). */
export function ackEach(deliveries: Delivery[]): void {
  for (const { channel, message } of deliveries) settle('ack', () => channel.ack(message));
  observeAcked(deliveries);
}

/**
 * One ack per channel, of its last delivery, with `allUpTo`: only for a batch that holds every earlier
 * unsettled delivery of its channel, i.e. batches written serially in delivery order (likes).
 */
export function ackUpTo(deliveries: Delivery[]): void {
  const last = new Map<Channel, Message>();
  for (const { channel, message } of deliveries) last.set(channel, message);
  for (const [channel, message] of last) settle('ack', () => channel.ack(message, true));
  observeAcked(deliveries);
}

/** Straight to the dead-letter queue (requeue=false), where an operator can look at it. */
export function deadLetter({ channel, message, queue }: Delivery): void {
  settle('dead-letter', () => channel.nack(message, false, false));
  consumerMetrics.deadLettered.inc({ queue });
}

/** Back to the queue for another try (it counts towards the delivery limit). */
export function requeue({ channel, message, queue }: Delivery): void {
  settle('requeue', () => channel.nack(message, false, true));
  consumerMetrics.requeued.inc({ queue });
}
