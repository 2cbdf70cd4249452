import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { NotificationEvents, ViewCache } from '@app/cache';
import { Commands, type LikeCommand } from '@app/messaging';
import { CommandBatcher } from '../batching/command.batcher.js';
import { consumerConfig, type ConsumerEnv } from '../consumer.config.js';
import { ConsumerState } from '../consumer.state.js';
import { ConsumptionRegistry } from '../deliveries/consumption.registry.js';
import { ackUpTo, type Delivery } from '../deliveries/delivery.js';
import { consumerMetrics } from '../metrics/consumer.metrics.js';
import { type BatchResult, LikeBatchWriter } from './like-batch.writer.js';
import { LikersRefresher } from './likers.refresher.js';

interface HeldLike {
  command: LikeCommand;
  delivery: Delivery;
}

/** The writer takes one command per (user, logbook): the one with the highest version wins. */
function latestPerKey(held: HeldLike[]): LikeCommand[] {
  const latest = new Map<string, LikeCommand>();
  for (const { command } of held) {
    const key = `${command.userId}:${command.logbookId}`;
    const seen = latest.get(key);
    if (!seen || BigInt(seen.version) < BigInt(command.version)) latest.set(key, command);
  }
  return [...latest.values()];
}

/**
 * Like commands in batches of LIKE_BATCH_SIZE commands or LIKE_BATCH_WAIT_MS, collapsed per
 * (user, logbook), applied in one transaction, acked after the commit, and only then the `likes`
 * views generation bumped, naming the logbooks it changed, so no reader caches a view older than an
 * acked like, and views of other logbooks stay cached. Batches are written one at a time in delivery
 * order, so one ack per channel of its last delivery tag (`allUpTo`) settles exactly one batch: a
 * message's commands (the API sends a list) are never split between two. The notifications it
 * inserted are announced after the commit too, with their content, for their owners' open streams.
 * Replaying a batch after a crash is a no-op: the upsert is guarded by version.
 */
@Injectable()
export class LikeBatchFlusher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LikeBatchFlusher.name);
  private readonly batcher: CommandBatcher<HeldLike, BatchResult & { keys: number }>;

  constructor(
    writer: LikeBatchWriter,
    likers: LikersRefresher,
    views: ViewCache,
    notifications: NotificationEvents,
    state: ConsumerState,
    private readonly consumption: ConsumptionRegistry,
    @Inject(consumerConfig.KEY) env: ConsumerEnv,
  ) {
    this.batcher = new CommandBatcher(
      {
        name: 'like batch',
        queue: Commands.like.queue,
        maxSize: env.LIKE_BATCH_SIZE,
        maxWaitMs: env.LIKE_BATCH_WAIT_MS,
        logger: this.logger,
        write: async (held) => {
          const commands = latestPerKey(held);
          return { ...(await writer.apply(commands)), keys: commands.length };
        },
        settle: async (held, { keys, applied, flipped, logbooks, notifications: inserted }) => {
          ackUpTo(held.map((h) => h.delivery));
          consumerMetrics.notifications.inc({ type: 'like' }, inserted.length);
          this.logger.debug(`like batch: ${held.length} commands, ${keys} keys, ${applied} applied, ${flipped} flipped`);
          // One round trip for both: the views generation bump and the announcement go out together
          // on the one Redis connection, which runs them in that order, so a notified client never
          // reads a view cached before the like. (A bump that has to be retried comes after.)
          const bumped = flipped > 0 ? views.bumpLikes(logbooks) : undefined;
          await Promise.all([bumped, notifications.announceEvents(inserted)]);
          if (flipped > 0) likers.schedule();
        },
      },
      state,
    );
  }

  /** A message's commands, kept in one batch: its settle acks the message. */
  add(commands: readonly LikeCommand[], delivery: Delivery): void {
    this.batcher.addAll(commands.map((command) => ({ command, delivery })));
  }

  /** SIGTERM: deliveries stop first, then what is held is written and acked, before the channels close. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumption.stop();
    await this.batcher.drain();
  }
}
