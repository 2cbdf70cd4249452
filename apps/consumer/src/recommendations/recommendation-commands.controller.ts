import { type BeforeApplicationShutdown, Controller } from '@nestjs/common';
import { Ctx, Payload, RmqContext } from '@nestjs/microservices';
import { CommandPattern, type Delivered, type RecommendationCommand } from '@app/messaging';
import { ConsumptionRegistry } from '../deliveries/consumption.registry.js';
import { ackEach, type Delivery } from '../deliveries/delivery.js';
import { InFlight } from '../deliveries/in-flight.js';
import { timeWork } from '../metrics/consumer.metrics.js';
import { RecommendationWorker } from './recommendation.worker.js';
import { SpotReplacementWriter } from './spot-replacement.writer.js';

/**
 * Each delivery starts its recommendation at once; the prefetch (RECOMMENDATION_CONCURRENCY) bounds
 * how many run together. Acks come from the writer after the commit; a message with nothing to do
 * is acked here, a malformed one dead-lettered.
 */
@Controller()
export class RecommendationCommandsController implements BeforeApplicationShutdown {
  private readonly inFlight = new InFlight();

  constructor(
    private readonly consumption: ConsumptionRegistry,
    private readonly worker: RecommendationWorker,
    private readonly writer: SpotReplacementWriter,
  ) {}

  @CommandPattern('recommendation')
  onRecommendation(@Payload() command: Delivered<'recommendation'>, @Ctx() context: RmqContext): void {
    const received = this.consumption.receive('recommendation', command, context);
    if (received) this.inFlight.track(this.recommend(received.command, received.delivery));
  }

  /** SIGTERM: deliveries stop, running recommendations finish (each call is time-bounded), then they are written. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumption.stop();
    await this.inFlight.settled();
    await this.writer.drain();
  }

  private async recommend(command: RecommendationCommand, delivery: Delivery): Promise<void> {
    const done = timeWork('recommendation');
    const outcome = await this.worker.run(command);
    done(outcome?.status ?? 'skipped');
    // This work is still in flight: a set of one means nothing else could join its batch.
    if (outcome) this.writer.add(outcome, delivery, this.inFlight.size === 1);
    else ackEach([delivery]);
  }
}
