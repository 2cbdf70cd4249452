import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CacheKeys, ChannelPublisher } from '@app/cache';
import { OutcomeWriter } from '../batching/outcome.writer.js';
import { ConsumerState } from '../consumer.state.js';
import type { RecommendedSpot } from './recommender.js';

/** The columns of `spot_requests` an outcome sets, and for `done` the three new spots. */
export interface SpotOutcome {
  user_id: number;
  command_id: string;
  status: 'done' | 'failed';
  error: string | null;
  spots: RecommendedSpot[];
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

/** Outcomes written together by that statement; after the acks their divers are announced to waiting API requests. */
@Injectable()
export class SpotReplacementWriter extends OutcomeWriter<SpotOutcome> {
  constructor(
    @InjectDataSource() db: DataSource,
    private readonly keys: CacheKeys,
    private readonly channels: ChannelPublisher,
    state: ConsumerState,
  ) {
    super('spot replacements', 'recommendation', WRITE_SQL, db, state, new Logger(SpotReplacementWriter.name));
  }

  protected async announce(outcomes: SpotOutcome[]): Promise<void> {
    await this.channels.publish(this.keys.recommendationEvents(), [...new Set(outcomes.map((o) => o.user_id))].join(','));
  }
}
