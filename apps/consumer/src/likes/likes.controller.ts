import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload, type RmqContext } from '@nestjs/microservices';
import type { Channel, Message } from 'amqplib';
import { MessagePatterns, parseLikeCommand } from '@app/messaging';
import { LikeBatchFlusher } from './like-batch.flusher.js';

@Controller()
export class LikesController {
  private readonly logger = new Logger(LikesController.name);

  constructor(private readonly flusher: LikeBatchFlusher) {}

  /** Never throws: a throwing handler would leave its message unacked for the life of the channel. */
  @EventPattern(MessagePatterns.like)
  onLike(@Payload() data: unknown, @Ctx() context: unknown): void {
    const ctx = context as RmqContext;
    const message = ctx.getMessage() as Message;
    const channel = ctx.getChannelRef() as Channel;
    const command = parseLikeCommand(data);
    if (!command) {
      // Straight to the dead-letter queue (requeue=false), where an operator can look at it.
      this.logger.warn(`malformed like command ${message.properties.messageId ?? ''} dead-lettered`);
      channel.nack(message, false, false);
      return;
    }
    this.flusher.add(command, message, channel);
  }
}
