import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { Channel, Message } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import { ViewCache } from '@app/cache';
import type { LikeCommand } from '@app/messaging';
import { consumerConfig, type ConsumerEnv } from '../consumer.config.js';
import { ConsumerState } from '../consumer.state.js';
import { LikeBatchWriter } from './like-batch.writer.js';

interface Delivery {
  message: Message;
  channel: Channel;
}

interface Batch {
  commands: LikeCommand[];
  deliveries: Delivery[];
}

const MAX_BACKOFF_MS = 5_000;

/**
 * Buffers like commands and writes them in batches: cut at LIKE_BATCH_SIZE messages or
 * LIKE_BATCH_WAIT_MS after the first one, collapsed per (user, logbook) to the highest version,
 * applied in one transaction, acked only after the commit, and only then the views generation is
 * bumped. Batches are written one at a time, in order, so an ack of the last delivery tag of a batch
 * (`allUpTo`) settles exactly that batch.
 *
 * While Postgres is unreachable the write is retried with backoff and nothing is acked or nacked:
 * the broker stops delivering once the prefetch window (2 batches) is full, which is the pause, and
 * readiness says `paused`. A crash at any point leaves the unacked messages to be redelivered, and
 * replaying them is a no-op because the upsert is guarded by version.
 */
@Injectable()
export class LikeBatchFlusher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LikeBatchFlusher.name);
  private pending = new Map<string, LikeCommand>();
  private deliveries: Delivery[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly consumers = new Map<Channel, string>();

  constructor(
    private readonly writer: LikeBatchWriter,
    private readonly views: ViewCache,
    private readonly state: ConsumerState,
    @Inject(consumerConfig.KEY) private readonly env: ConsumerEnv,
  ) {}

  add(command: LikeCommand, message: Message, channel: Channel): void {
    if (message.fields.consumerTag) this.consumers.set(channel, message.fields.consumerTag);
    const key = `${command.userId}:${command.logbookId}`;
    const held = this.pending.get(key);
    if (!held || BigInt(held.version) < BigInt(command.version)) this.pending.set(key, command);
    this.deliveries.push({ message, channel });
    if (this.deliveries.length >= this.env.LIKE_BATCH_SIZE) this.cut();
    else this.timer ??= setTimeout(() => this.cut(), this.env.LIKE_BATCH_WAIT_MS);
  }

  /** Resolves when everything received so far is committed and acked. */
  drain(): Promise<void> {
    this.cut();
    return this.writing;
  }

  /** SIGTERM: stop deliveries first, then flush and ack what is held, before the channel closes. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const [channel, tag] of this.consumers) await channel.cancel(tag).catch(() => undefined);
    await this.drain();
  }

  private cut(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.deliveries.length === 0) return;
    const batch: Batch = { commands: [...this.pending.values()], deliveries: this.deliveries };
    this.pending = new Map();
    this.deliveries = [];
    this.writing = this.writing.then(() => this.write(batch));
  }

  private async write(batch: Batch): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.writer.apply(batch.commands);
        if (this.state.status === 'paused') {
          this.state.status = 'consuming';
          this.logger.log('postgres is back: consuming again');
        }
        this.ack(batch.deliveries);
        this.logger.debug(
          `like batch: ${batch.deliveries.length} messages, ${batch.commands.length} keys, ${result.applied} applied, ${result.flipped} flipped`,
        );
        if (result.flipped > 0) await this.views.bump('logbooks');
        return;
      } catch (err) {
        const delay = Math.min(100 * 2 ** attempt, MAX_BACKOFF_MS);
        if (this.state.status === 'consuming') this.state.status = 'paused';
        this.logger.warn(`like batch of ${batch.commands.length} not written (${(err as Error).message}); retry in ${delay} ms`);
        await sleep(delay);
      }
    }
  }

  /** One ack per channel, for its last delivery tag; a channel lost since then has requeued them. */
  private ack(deliveries: Delivery[]): void {
    const last = new Map<Channel, Message>();
    for (const d of deliveries) last.set(d.channel, d.message);
    for (const [channel, message] of last) {
      try {
        channel.ack(message, true);
      } catch (err) {
        this.logger.warn(`ack lost with its channel (${(err as Error).message}); the broker redelivers, a no-op`);
      }
    }
  }
}
