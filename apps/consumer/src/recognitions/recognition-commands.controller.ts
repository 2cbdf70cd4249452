import { type BeforeApplicationShutdown, Controller, Logger } from '@nestjs/common';
import { Ctx, Payload, RmqContext } from '@nestjs/microservices';
import { CommandPattern, type Delivered, type RecognitionCommand } from '@app/messaging';
import { ConsumptionRegistry } from '../deliveries/consumption.registry.js';
import { ackEach, type Delivery, requeue } from '../deliveries/delivery.js';
import { InFlight } from '../deliveries/in-flight.js';
import { timeWork } from '../metrics/consumer.metrics.js';
import { RecognitionResultWriter } from './recognition-result.writer.js';
import { RecognitionWorker } from './recognition.worker.js';

/**
 * Each delivery starts its recognition at once; the prefetch (RECOGNITION_CONCURRENCY) is what
 * bounds how many run together. Acks come from the result writer after the commit; a message with
 * nothing to do is acked here, a malformed one dead-lettered.
 */
@Controller()
export class RecognitionCommandsController implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RecognitionCommandsController.name);
  private readonly inFlight = new InFlight();

  constructor(
    private readonly consumption: ConsumptionRegistry,
    private readonly worker: RecognitionWorker,
    private readonly results: RecognitionResultWriter,
  ) {}

  @CommandPattern('recognition')
  onRecognition(@Payload() command: Delivered<'recognition'>, @Ctx() context: RmqContext): void {
    const received = this.consumption.receive('recognition', command, context);
    if (received) this.inFlight.track(this.recognize(received.command, received.delivery));
  }

  /** SIGTERM: deliveries stop, running recognitions finish (each call is time-bounded), then they are written. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumption.stop();
    await this.inFlight.settled();
    await this.results.drain();
  }

  private async recognize(command: RecognitionCommand, delivery: Delivery): Promise<void> {
    const done = timeWork('recognition');
    let outcome;
    try {
      outcome = await this.worker.run(command);
    } catch (err) {
      // Not expected (the worker reports failures as outcomes): hand it back for another try.
      done('crashed');
      this.logger.error(`recognition of photo ${command.photoId} crashed: ${(err as Error).stack}`);
      requeue(delivery);
      return;
    }
    done(outcome?.status ?? 'skipped');
    // This work is still in flight: a set of one means nothing else could join its batch.
    if (outcome) this.results.add(outcome, delivery, this.inFlight.size === 1);
    else ackEach([delivery]);
  }
}
