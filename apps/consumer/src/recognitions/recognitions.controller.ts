import { type BeforeApplicationShutdown, Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload, type RmqContext } from '@nestjs/microservices';
import type { Channel, Message } from 'amqplib';
import { MessagePatterns, parseRecognitionCommand } from '@app/messaging';
import { RecognitionResultWriter } from './recognition-result.writer.js';
import { RecognitionWorker } from './recognition.worker.js';

/**
 * Each delivery starts its recognition at once; the prefetch (RECOGNITION_CONCURRENCY) is what
 * bounds how many run together. Acks come from the result writer after the commit; a message with
 * nothing to do is acked here, a malformed one dead-lettered.
 */
@Controller()
export class RecognitionsController implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RecognitionsController.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly consumers = new Map<Channel, string>();

  constructor(
    private readonly worker: RecognitionWorker,
    private readonly results: RecognitionResultWriter,
  ) {}

  @EventPattern(MessagePatterns.recognition)
  onRecognition(@Payload() data: unknown, @Ctx() context: unknown): void {
    const ctx = context as RmqContext;
    const message = ctx.getMessage() as Message;
    const channel = ctx.getChannelRef() as Channel;
    if (message.fields.consumerTag) this.consumers.set(channel, message.fields.consumerTag);
    const command = parseRecognitionCommand(data);
    if (!command) {
      this.logger.warn(`malformed recognition command ${message.properties.messageId ?? ''} dead-lettered`);
      channel.nack(message, false, false);
      return;
    }
    const work = this.worker.run(command).then(
      (outcome) => {
        // This work is still in the set: size 1 means nothing else could join its batch.
        if (outcome) this.results.add(outcome, message, channel, this.inFlight.size === 1);
        else ack(channel, message);
      },
      (err: unknown) => {
        // Not expected (the worker reports failures as outcomes): hand it back for another try.
        this.logger.error(`recognition of photo ${command.photoId} crashed: ${(err as Error).stack}`);
        nack(channel, message);
      },
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** SIGTERM: stop deliveries, let running recognitions finish (each call is time-bounded), write them. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const [channel, tag] of this.consumers) await channel.cancel(tag).catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    await this.results.drain();
  }
}

function ack(channel: Channel, message: Message): void {
  try {
    channel.ack(message);
  } catch {
    // channel lost: redelivered, and a no-op then
  }
}

function nack(channel: Channel, message: Message): void {
  try {
    channel.nack(message, false, true);
  } catch {
    // channel lost: redelivered anyway
  }
}
