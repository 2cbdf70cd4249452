import { Inject, Injectable } from '@nestjs/common';
import type { Options } from 'amqplib';
import { Counter, Histogram, register } from 'prom-client';
import { AmqpConnection } from './amqp.connection.js';
import { type Command, type CommandKind, Commands } from './commands.js';
import { messagingConfig, type MessagingEnv } from './messaging.config.js';
import { type QueueName, queueName } from './queues.js';

/** Why the broker did not take a command: the `cause` of the API's 503 and of the publish metrics. */
export type BrokerRefusal = 'not_connected' | 'timeout' | 'channel_closed' | 'unroutable' | 'refused';

/** The broker did not take the command: the caller must not report success (503, never 2xx). */
export class BrokerUnavailableError extends Error {
  constructor(
    readonly refusal: BrokerRefusal,
    detail: string = refusal,
  ) {
    super(`command not accepted by the broker: ${detail}`);
  }
}

/** Milliseconds since the epoch at publish, so a consumer can time the pipeline (the AMQP timestamp is in seconds). */
export const PUBLISHED_AT_HEADER = 'x-published-at';

const LABELS = ['queue', 'outcome'] as const;

/**
 * A command as it travels: Nest's RMQ envelope, persistent, `mandatory` (a queue that vanished comes
 * back as a return, not a silent drop), the message id, and when it was published.
 */
export function commandMessage(
  pattern: string,
  messageId: string,
  data: unknown,
  now = Date.now(),
): { body: Buffer; options: Options.Publish } {
  return {
    body: Buffer.from(JSON.stringify({ pattern, data })),
    options: {
      persistent: true,
      mandatory: true,
      contentType: 'application/json',
      messageId,
      timestamp: Math.floor(now / 1000),
      headers: { [PUBLISHED_AT_HEADER]: now },
    },
  };
}

/** Commands the broker confirmed, by queue: a message may carry several (the API gathers likes). */
function publishedCounter(): Counter<'queue'> {
  const name = 'commands_published_total';
  return (
    (register.getSingleMetric(name) as Counter<'queue'> | undefined) ??
    new Counter({ name, help: 'Commands the broker confirmed, by queue (a like message carries several)', labelNames: ['queue'] })
  );
}

/** Created with the first publisher: only the processes that publish (the API) carry it. */
function confirmHistogram(): Histogram<(typeof LABELS)[number]> {
  const name = 'command_publish_confirm_seconds';
  return (
    (register.getSingleMetric(name) as Histogram<(typeof LABELS)[number]> | undefined) ??
    new Histogram({
      name,
      help: "From publish to the broker's confirm (outcome ok), or to the refusal (outcome: its cause), by queue",
      labelNames: LABELS,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    })
  );
}

function refusalOf(err: Error): BrokerRefusal {
  if (err.message === 'timeout') return 'timeout';
  if (err.message === 'Channel closed') return 'channel_closed';
  return 'refused';
}

/**
 * Publishes a command as a persistent message on its quorum queue and resolves only once the broker
 * has confirmed it. `mandatory` makes a queue that vanished come back as a return instead of a
 * silent drop, and the publish timeout also takes a not-yet-sent message out of the channel's
 * in-memory buffer, so an absent broker never accumulates commands in this process.
 */
@Injectable()
export class CommandPublisher {
  private readonly confirmSeconds = confirmHistogram();
  private readonly published = publishedCounter();

  constructor(
    private readonly amqp: AmqpConnection,
    @Inject(messagingConfig.KEY) private readonly env: MessagingEnv,
  ) {}

  /**
   * The command's id is the message id (a list's first command's), so a consumer's log names the
   * command it refused.
   */
  async publish<K extends CommandKind>(kind: K, command: Command<K>): Promise<void> {
    const { queue, pattern } = Commands[kind];
    const timer = this.confirmSeconds.startTimer({ queue });
    const commands = (Array.isArray(command) ? command : [command]) as Array<{ id: string }>;
    try {
      await this.send(queue, pattern, commands[0].id, command);
      timer({ outcome: 'ok' });
      this.published.inc({ queue }, commands.length);
    } catch (err) {
      timer({ outcome: err instanceof BrokerUnavailableError ? err.refusal : 'refused' });
      throw err;
    }
  }

  private async send(queue: QueueName, pattern: string, messageId: string, command: unknown): Promise<void> {
    if (!this.amqp.isConnected()) throw new BrokerUnavailableError('not_connected', 'not connected');
    const { body, options } = commandMessage(pattern, messageId, command);
    try {
      await this.amqp.channel.sendToQueue(queueName(this.env.QUEUE_PREFIX, queue), body, {
        ...options,
        timeout: this.env.PUBLISH_CONFIRM_TIMEOUT_MS,
      });
    } catch (err) {
      throw new BrokerUnavailableError(refusalOf(err as Error), (err as Error).message);
    }
    // The broker sends a return before the confirm of the same message.
    if (this.amqp.takeReturned(messageId)) throw new BrokerUnavailableError('unroutable');
  }
}
