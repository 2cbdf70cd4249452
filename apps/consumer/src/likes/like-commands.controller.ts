import { Controller } from '@nestjs/common';
import { Ctx, Payload, RmqContext } from '@nestjs/microservices';
import { CommandPattern, type Delivered } from '@app/messaging';
import { ConsumptionRegistry } from '../deliveries/consumption.registry.js';
import { LikeBatchFlusher } from './like-batch.flusher.js';

@Controller()
export class LikeCommandsController {
  constructor(
    private readonly consumption: ConsumptionRegistry,
    private readonly flusher: LikeBatchFlusher,
  ) {}

  @CommandPattern('like')
  onLike(@Payload() command: Delivered<'like'>, @Ctx() context: RmqContext): void {
    const received = this.consumption.receive('like', command, context);
    if (received) this.flusher.add(received.command, received.delivery);
  }
}
