import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CacheKeys, ChannelPublisher } from '@app/cache';
import { Commands } from '@app/messaging';
import { CommandBatcher } from '../batching/command.batcher.js';
import { ConsumerState } from '../consumer.state.js';
import { ackEach, type Delivery } from '../deliveries/delivery.js';
import type { RecommendedSpot } from './recommender.js';

/** The columns of `spot_requests` an outcome sets, and for `done` the three new spots. */
export interface SpotOutcome {
  user_id: number;
  command_id: string;
  status: 'done' | 'failed';
  error: string | null;
  spots: RecommendedSpot[];
}

interface HeldOutcome {
  outcome: SpotOutcome;
  delivery: Delivery;
}

/**
 * One statement for a whole batch, so each diver's old spots go only in the statement that stores
 * the new ones. Only a request still pending under the outcome's own command is finished: a
 * redelivered or superseded command changes nothing, and a failed one keeps the old spots.
 */
const WRITE_SQL = `
  WITH r AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(user_id bigint, command_id text, status text, error text, spots jsonb)
  ), finished AS (
    UPDATE spot_requests q SET status = r.status, error = r.error, finished_at = now()
      FROM r
     WHERE q.user_id = r.user_id AND q.command_id = r.command_id AND q.status = 'pending'
    RETURNING q.user_id, r.status, r.spots
  ), replaced AS (
    DELETE FROM spots s USING finished f WHERE s.user_id = f.user_id AND f.status = 'done'
  )
  INSERT INTO spots (user_id, region, country, intro)
  SELECT f.user_id, e.spot->>'region', e.spot->>'country', e.spot->>'intro'
    FROM finished f, jsonb_array_elements(f.spots) WITH ORDINALITY AS e(spot, ord)
   WHERE f.status = 'done'
   ORDER BY f.user_id, e.ord`;

/**
 * Outcomes that finish within a few milliseconds of each other are written together; then each
 * message is acked on its own (recommendations finish out of delivery order) and the divers are
 * announced to the API requests waiting for them.
 */
@Injectable()
export class SpotReplacementWriter {
  private readonly logger = new Logger(SpotReplacementWriter.name);
  private readonly batcher: CommandBatcher<HeldOutcome>;

  constructor(@InjectDataSource() db: DataSource, keys: CacheKeys, channels: ChannelPublisher, state: ConsumerState) {
    this.batcher = new CommandBatcher(
      {
        name: 'spot replacements',
        queue: Commands.recommendation.queue,
        maxSize: 50,
        maxWaitMs: 10,
        logger: this.logger,
        write: async (held) => {
          await db.query(WRITE_SQL, [JSON.stringify(held.map((h) => h.outcome))]);
        },
        settle: async (held) => {
          ackEach(held.map((h) => h.delivery));
          const users = [...new Set(held.map((h) => h.outcome.user_id))].join(',');
          await channels.publish(keys.recommendationEvents(), users);
        },
      },
      state,
    );
  }

  /** `alone`: nothing else is running, so waiting would gather nothing: written at once. */
  add(outcome: SpotOutcome, delivery: Delivery, alone = false): void {
    this.batcher.add({ outcome, delivery }, alone);
  }

  drain(): Promise<void> {
    return this.batcher.drain();
  }
}
