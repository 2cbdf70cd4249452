import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CacheKeys, ChannelPublisher, ViewCache } from '@app/cache';
import { OutcomeWriter } from '../batching/outcome.writer.js';
import { ConsumerState } from '../consumer.state.js';

export interface RecognitionOutcome {
  id: number;
  status: 'done' | 'failed';
  classified_as: string | null;
  species: unknown;
  result: unknown;
  error: string | null;
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
 * One UPDATE for every outcome that finished within a few milliseconds of the first; after the acks
 * the photo views generation is bumped and the finished ids announced to waiting API requests.
 */
@Injectable()
export class RecognitionResultWriter extends OutcomeWriter<RecognitionOutcome> {
  constructor(
    @InjectDataSource() db: DataSource,
    private readonly views: ViewCache,
    private readonly keys: CacheKeys,
    private readonly channels: ChannelPublisher,
    state: ConsumerState,
  ) {
    super('recognition results', 'recognition', WRITE_SQL, db, state, new Logger(RecognitionResultWriter.name));
  }

  protected async announce(outcomes: RecognitionOutcome[]): Promise<void> {
    await this.views.bump('photos');
    await this.channels.publish(this.keys.photoEvents(), outcomes.map((o) => o.id).join(','));
    this.logger.debug(`recognition results: ${outcomes.length} written`);
  }
}
