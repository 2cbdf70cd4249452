import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** After a batch, how long to let others come: one refresh then covers every batch of a burst. */
const REFRESH_DELAY_MS = 250;
/** Logbooks filled per statement (each its own transaction: their rows stay locked until it ends). */
const SLICE = 50;
/**
 * Takes logbooks whose likers text is not known (NULL, set by the triggers when their likes changed),
 * locked the way a like batch locks them, skipping those a batch holds, and fills them in; a batch
 * that comes later sets NULL again. One round trip (migration 1764800000000 says why).
 */
const FILL_SQL = 'SELECT fill_logbook_likers($1) AS filled';
/**
 * Then the likes list's whole text, from the filled-in texts (a logbook a batch still holds is
 * aggregated, as readers would), under the lock every writer that forgot it holds until it commits
 * (migration 1764900000000). A no-op while the text is known.
 */
const BUILD_SQL = 'SELECT build_likes_list_document() AS built';

/**
 * Keeps `logbooks.likers_json` and the likes list's text filled in, off the like batches' path: a
 * batch only marks what it changed (the triggers), and this computes the texts once per burst of
 * batches rather than once per batch. Until it runs, readers aggregate what is unknown themselves,
 * so nothing is ever served wrong, only slower. A change made through the API (a rename, a deleted
 * account) leaves them unknown until the next like batch or consumer start.
 */
@Injectable()
export class LikersRefresher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LikersRefresher.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whatever a previous run left (a crash, a script's writes). */
  onApplicationBootstrap(): void {
    this.schedule();
  }

  /** After a like batch that flipped something has committed. */
  schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.running = this.refresh()
        .catch((err: unknown) => this.logger.warn(`likers refresh failed: ${(err as Error).message}`))
        .finally(() => {
          this.running = undefined;
          if (this.again) {
            this.again = false;
            this.schedule();
          }
        });
    }, REFRESH_DELAY_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async refresh(): Promise<void> {
    for (;;) {
      const [{ filled }]: Array<{ filled: number }> = await this.db.query(FILL_SQL, [SLICE]);
      if (this.stopped) return;
      if (filled < SLICE) break;
    }
    await this.db.query(BUILD_SQL);
  }
}
