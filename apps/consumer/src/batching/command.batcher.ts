import type { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffMs } from '@app/messaging';
import type { ConsumerState } from '../consumer.state.js';
import { consumerMetrics } from '../metrics/consumer.metrics.js';

export interface BatcherOptions<T, R> {
  /** Names the batch in log lines. */
  name: string;
  /** The queue its items were delivered from: the `queue` label of the batch metrics recorded here. */
  queue: string;
  /** A batch is cut at this many items, */
  maxSize: number;
  /** or this long after its first item, whichever comes first. */
  maxWaitMs: number;
  /** Commits a batch. A throw leaves it held, to be tried again after a backoff. */
  write(items: T[]): Promise<R>;
  /** Runs once per batch, after its commit: acks, then what must follow the commit. */
  settle(items: T[], result: R): Promise<void>;
  logger: Logger;
  /** First retry delay (doubling, capped); tests shorten it. */
  retryBaseMs?: number;
}

/**
 * Gathers items into batches and writes them one at a time, in the order they were cut. Nothing is
 * settled before its commit: while the commit fails (Postgres away) the batch is retried with backoff,
 * readiness says `paused`, and the unacked messages fill the prefetch window until the broker stops
 * delivering, which is the pause. A crash at any point leaves them to be redelivered. Every batch is
 * measured here (size, commit time, commit-to-settle time, time paused), so each batched queue has them.
 */
export class CommandBatcher<T, R = void> {
  private held: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: BatcherOptions<T, R>,
    private readonly state: ConsumerState,
  ) {}

  /** `now`: cut at once, when waiting could not gather anything more. */
  add(item: T, now = false): void {
    this.addAll([item], now);
  }

  /**
   * Items that must share a batch (one message's): the batch is cut after them, never between them,
   * so it can pass maxSize by the group's size less one.
   */
  addAll(items: readonly T[], now = false): void {
    this.held.push(...items);
    if (now || this.held.length >= this.options.maxSize) this.cut();
    else this.timer ??= setTimeout(() => this.cut(), this.options.maxWaitMs);
  }

  /** Resolves once everything added so far is committed and settled. */
  drain(): Promise<void> {
    this.cut();
    return this.writing;
  }

  private cut(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.held.length === 0) return;
    const batch = this.held;
    this.held = [];
    this.writing = this.writing.then(() => this.write(batch));
  }

  /** Never rejects: the chain of batches must survive any one of them. */
  private async write(batch: T[]): Promise<void> {
    const { name, logger } = this.options;
    const labels = { queue: this.options.queue };
    let result: R;
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      try {
        result = await this.options.write(batch);
        consumerMetrics.flushSeconds.observe(labels, (performance.now() - started) / 1000);
        break;
      } catch (err) {
        const delay = backoffMs(attempt, this.options.retryBaseMs);
        if (this.state.status === 'consuming') this.state.status = 'paused';
        logger.warn(`${name} of ${batch.length} not written (${(err as Error).message}); retry in ${delay} ms`);
        await sleep(delay);
        // Counted as it passes, so an outage still going on shows in the rate.
        consumerMetrics.pausedSeconds.inc(labels, (performance.now() - started) / 1000);
      }
    }
    const committed = performance.now();
    consumerMetrics.applied.inc(labels, batch.length);
    consumerMetrics.batchSize.observe(labels, batch.length);
    if (this.state.status === 'paused') {
      this.state.status = 'consuming';
      logger.log(`${name} written: consuming again`);
    }
    try {
      await this.options.settle(batch, result);
    } catch (err) {
      // The commit stands; writing the batch again would not bring back what failed after it.
      logger.warn(`${name} committed, but settling it failed: ${(err as Error).message}`);
    }
    consumerMetrics.commitToAckSeconds.observe(labels, (performance.now() - committed) / 1000);
  }
}
