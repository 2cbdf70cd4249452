import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Channel, Message } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { CacheKeys, REDIS_CLIENT, RedisBreaker, type RedisClient, ViewCache } from '@app/cache';
import { ConsumerState } from '../consumer.state.js';

export interface RecognitionOutcome {
  id: number;
  status: 'done' | 'failed';
  classified_as: string | null;
  species: unknown;
  result: unknown;
  error: string | null;
}

interface Held {
  outcome: RecognitionOutcome;
  message: Message;
  channel: Channel;
}

const FLUSH_SIZE = 50;
const FLUSH_WAIT_MS = 10;
const MAX_BACKOFF_MS = 5_000;

/**
 * One UPDATE for every outcome that finished within a few milliseconds of the first, written
 * serially; then the messages are acked, the photo views generation bumped and the finished ids
 * announced to waiting API requests. A photo already `done` is never overwritten (a redelivered
 * command that raced a commit). While Postgres is away the batch is retried and nothing is acked.
 */
@Injectable()
export class RecognitionResultWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RecognitionResultWriter.name);
  private held: Held[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: ViewCache,
    private readonly keys: CacheKeys,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly breaker: RedisBreaker,
    private readonly state: ConsumerState,
  ) {}

  /** `alone`: no other recognition is running, so waiting would gather nothing: written at once. */
  add(outcome: RecognitionOutcome, message: Message, channel: Channel, alone = false): void {
    this.held.push({ outcome, message, channel });
    if (alone || this.held.length >= FLUSH_SIZE) this.cut();
    else this.timer ??= setTimeout(() => this.cut(), FLUSH_WAIT_MS);
  }

  drain(): Promise<void> {
    this.cut();
    return this.writing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  private cut(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.held.length === 0) return;
    const batch = this.held;
    this.held = [];
    this.writing = this.writing.then(() => this.write(batch));
  }

  private async write(batch: Held[]): Promise<void> {
    const rows = JSON.stringify(batch.map((h) => h.outcome));
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.query(
          `UPDATE photos p
              SET status = r.status, classified_as = r.classified_as, species = r.species,
                  fishial_result = r.result, error = r.error, classified_at = now()
             FROM jsonb_to_recordset($1::jsonb)
                  AS r(id bigint, status text, classified_as text, species jsonb, result jsonb, error text)
            WHERE p.id = r.id AND p.status IS DISTINCT FROM 'done'`,
          [rows],
        );
        break;
      } catch (err) {
        const delay = Math.min(100 * 2 ** attempt, MAX_BACKOFF_MS);
        if (this.state.status === 'consuming') this.state.status = 'paused';
        this.logger.warn(`recognition results not written (${(err as Error).message}); retry in ${delay} ms`);
        await sleep(delay);
      }
    }
    if (this.state.status === 'paused') this.state.status = 'consuming';
    for (const { message, channel } of batch) {
      try {
        channel.ack(message);
      } catch {
        // channel lost: the broker redelivers, and the photo being done makes that a no-op
      }
    }
    await this.views.bump('photos');
    const ids = batch.map((h) => h.outcome.id).join(',');
    await this.breaker.run('publish photo events', () => this.redis.publish(this.keys.photoEvents(), ids)).catch(() => undefined);
    this.logger.debug(`recognition results: ${batch.length} written`);
  }
}
