import type { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { type CommandKind, Commands } from '@app/messaging';
import type { ConsumerState } from '../consumer.state.js';
import { ackEach, type Delivery } from '../deliveries/delivery.js';
import { CommandBatcher } from './command.batcher.js';

interface HeldOutcome<T> {
  outcome: T;
  delivery: Delivery;
}

/**
 * The outcomes of work that finishes out of delivery order (recognitions, recommendations): those
 * that finish within a few milliseconds of the first are written by one statement, `sql`, given
 * their JSON array as `$1`; then each message is acked on its own (an `allUpTo` ack could settle
 * one still running), and only then are they announced.
 */
export abstract class OutcomeWriter<T> {
  private readonly batcher: CommandBatcher<HeldOutcome<T>>;

  protected constructor(
    name: string,
    kind: CommandKind,
    sql: string,
    db: DataSource,
    state: ConsumerState,
    protected readonly logger: Logger,
  ) {
    this.batcher = new CommandBatcher(
      {
        name,
        queue: Commands[kind].queue,
        maxSize: 50,
        maxWaitMs: 10,
        logger,
        write: async (held) => {
          await db.query(sql, [JSON.stringify(held.map((h) => h.outcome))]);
        },
        settle: async (held) => {
          ackEach(held.map((h) => h.delivery));
          await this.announce(held.map((h) => h.outcome));
        },
      },
      state,
    );
  }

  /** After the commit and the acks: what readers must hear of these outcomes. */
  protected abstract announce(outcomes: T[]): Promise<void>;

  /** `alone`: no other such work is running, so waiting would gather nothing: written at once. */
  add(outcome: T, delivery: Delivery, alone = false): void {
    this.batcher.add({ outcome, delivery }, alone);
  }

  /** Resolves once every outcome added so far is committed and acked. */
  drain(): Promise<void> {
    return this.batcher.drain();
  }
}
