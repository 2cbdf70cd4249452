import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Commands } from '@app/messaging';
import { CacheKeys, ChannelPublisher, ViewCache } from '@app/cache';
import { CommandBatcher } from '../batching/command.batcher.js';
import { ConsumerState } from '../consumer.state.js';
import { ackEach, type Delivery } from '../deliveries/delivery.js';

export interface RecognitionOutcome {
  id: number;
  status: 'done' | 'failed';
  classified_as: string | null;
  species: unknown;
  result: unknown;
  error: string | null;
}

interface HeldOutcome {
  outcome: RecognitionOutcome;
  delivery: Delivery;
}

/** A photo already `done` is never overwritten: a redelivered command may have raced a commit. */
const WRITE_SQL = `
  UPDATE photos p
     SET status = r.status, classified_as = r.classified_as, species = r.species,
         fishial_result = r.result, error = r.error, classified_at = now()
    FROM jsonb_to_recordset($1::jsonb)
         AS r(id bigint, status text, classified_as text, species jsonb, result jsonb, error text)
   WHERE p.id = r.id AND p.status IS DISTINCT FROM 'done'`;

/**
 * One UPDATE for every outcome that finished within a few milliseconds of the first; then each
 * message is acked on its own (recognitions finish out of delivery order, so an `allUpTo` ack could
 * settle one still running), the photo views generation bumped and the finished ids announced to
 * waiting API requests.
 */
@Injectable()
export class RecognitionResultWriter {
  private readonly logger = new Logger(RecognitionResultWriter.name);
  private readonly batcher: CommandBatcher<HeldOutcome>;

  constructor(@InjectDataSource() db: DataSource, views: ViewCache, keys: CacheKeys, channels: ChannelPublisher, state: ConsumerState) {
    this.batcher = new CommandBatcher(
      {
        name: 'recognition results',
        queue: Commands.recognition.queue,
        maxSize: 50,
        maxWaitMs: 10,
        logger: this.logger,
        write: async (held) => {
          await db.query(WRITE_SQL, [JSON.stringify(held.map((h) => h.outcome))]);
        },
        settle: async (held) => {
          ackEach(held.map((h) => h.delivery));
          await views.bump('photos');
          const ids = held.map((h) => h.outcome.id).join(',');
          await channels.publish(keys.photoEvents(), ids);
          this.logger.debug(`recognition results: ${held.length} written`);
        },
      },
      state,
    );
  }

  /** `alone`: no other recognition is running, so waiting would gather nothing: written at once. */
  add(outcome: RecognitionOutcome, delivery: Delivery, alone = false): void {
    this.batcher.add({ outcome, delivery }, alone);
  }

  /** Resolves once every outcome added so far is committed and acked. */
  drain(): Promise<void> {
    return this.batcher.drain();
  }
}
