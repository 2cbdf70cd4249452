import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload, RmqContext } from '@nestjs/microservices';
import { CommandPattern, type Delivered, MALFORMED } from '@app/messaging';
import { ConsumptionRegistry } from '../deliveries/consumption.registry.js';
import { deadLetter } from '../deliveries/delivery.js';
import { LikeBatchFlusher } from './like-batch.flusher.js';

@Controller()
export class LikeCommandsController {
  private readonly logger = new Logger(LikeCommandsController.name);

  constructor(
    private readonly consumption: ConsumptionRegistry,
    private readonly flusher: LikeBatchFlusher,
  ) {}

  /** Never throws: a throwing handler would leave its message unacked for the life of the channel. */
  @CommandPattern('like')
  onLike(@Payload() command: Delivered<'like'>, @Ctx() context: RmqContext): void {
    const delivery = this.consumption.receive(context);
    if (command === MALFORMED) {
      this.logger.warn(`malformed like command ${delivery.message.properties.messageId ?? ''} dead-lettered`);
      deadLetter(delivery);
      return;
    }
    this.flusher.add(command, delivery);
  }
}
