import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { CacheKeys, type ViewFamily } from './cache-keys.js';
import { REDIS_CLIENT, type RedisClient } from './redis.provider.js';
import { RedisBreaker } from './redis.breaker.js';
import { RedisSubscriber } from './redis.subscriber.js';

const BEAT_EVERY_MS = 250;
/** Without any message heard for this long, the subscription is not trusted to bring every bump. */
export const GENERATIONS_TRUSTED_FOR_MS = 1_000;
/** Logbooks whose last like change is remembered; past it, everything is forgotten (a miss, never a stale hit). */
const CHANGED_LOGBOOKS_MAX = 100_000;

/**
 * The views generations as Redis announces them, kept in process so that a cache hit costs no Redis
 * round trip. Every bump publishes the generation it made (ViewCache's script, atomically with the
 * increment) and, through the process's one subscription (RedisSubscriber), this keeps the latest per family.
 *
 * What it holds is trusted only while the subscription is seen to deliver: every process that reads
 * generations publishes a beat every 250 ms on the same channel, and when nothing at all has been
 * heard for a second (connection lost, Redis hung, a partition that drops packets without closing
 * the socket), everything known is dropped and callers read Redis, as they did before. When messages
 * come back after such a gap, nothing learned before it is kept: a bump may have been missed.
 * Generations only grow, so values that are announced and values read from Redis merge by max.
 *
 * Started by the first read, so a process that only bumps (the consumer) never subscribes.
 */
@Injectable()
export class GenerationListener implements OnApplicationShutdown {
  private readonly known = new Map<string, number>();
  /** Per logbook, the `likes` generation of the last like batch announced to have changed it. */
  private readonly likesChanged = new Map<number, number>();
  /** The first `likes` generation known since the subscription was last trusted: changes before it were not heard. */
  private likesSince: number | undefined;
  private started = false;
  private beat: NodeJS.Timeout | undefined;
  private heardAt = 0;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly keys: CacheKeys,
    private readonly breaker: RedisBreaker,
    private readonly subscriber: RedisSubscriber,
  ) {}

  /** The family's generation if the subscription vouches for it, else undefined (read Redis). */
  current(family: ViewFamily): number | undefined {
    if (!this.started) this.start();
    return this.trusted() ? this.known.get(family) : undefined;
  }

  /** A generation read from Redis or made by a bump here: kept if it is news and the subscription is trusted. */
  learn(family: ViewFamily, generation: number): void {
    if (!this.trusted()) return;
    if (family === 'likes') this.likesSince ??= generation;
    if (generation > (this.known.get(family) ?? 0)) this.known.set(family, generation);
  }

  /**
   * A `likes` bump, heard or made here: the logbooks whose likes it changed, or none named (a bump
   * by another writer, an account deletion): then every logbook's, as if nothing before it were known.
   */
  likesBumped(generation: number, logbooks: readonly number[]): void {
    if (!this.trusted()) return;
    this.learn('likes', generation);
    if (!logbooks.length || this.likesChanged.size + logbooks.length > CHANGED_LOGBOOKS_MAX) {
      this.likesChanged.clear();
      this.likesSince = Math.max(this.likesSince ?? 0, generation);
      return;
    }
    for (const id of logbooks) this.likesChanged.set(id, Math.max(generation, this.likesChanged.get(id) ?? 0));
  }

  /**
   * Whether no like batch announced after `generation` changed any of `logbooks` (all logbooks when
   * undefined); false whenever that cannot be vouched for (subscription not trusted, or the
   * generation older than what this process has heard since it was).
   */
  likesUnchangedSince(generation: number, logbooks: readonly number[] | undefined): boolean {
    if (!this.trusted() || this.likesSince === undefined || generation < this.likesSince) return false;
    if (!logbooks) return (this.known.get('likes') ?? 0) <= generation;
    return logbooks.every((id) => (this.likesChanged.get(id) ?? 0) <= generation);
  }

  onApplicationShutdown(): void {
    clearInterval(this.beat);
  }

  private trusted(): boolean {
    return Date.now() - this.heardAt < GENERATIONS_TRUSTED_FOR_MS;
  }

  private start(): void {
    this.started = true;
    const channel = this.keys.viewGenerations();
    this.subscriber.listen(
      channel,
      (message) => this.hear(message),
      () => this.forget(),
    );
    this.beat = setInterval(() => {
      if (this.breaker.available)
        void this.breaker.run('generations beat', () => this.redis.publish(channel, 'beat')).catch(() => undefined);
    }, BEAT_EVERY_MS).unref();
  }

  private hear(message: string): void {
    if (!this.trusted()) this.clear();
    this.heardAt = Date.now();
    const [family, generation, logbooks] = message.split(' ');
    if (generation === undefined) return;
    if (family === 'likes') this.likesBumped(Number(generation), logbooks ? logbooks.split(',').map(Number) : []);
    else this.learn(family as ViewFamily, Number(generation));
  }

  private forget(): void {
    this.heardAt = 0;
    this.clear();
  }

  private clear(): void {
    this.known.clear();
    this.likesChanged.clear();
    this.likesSince = undefined;
  }
}
