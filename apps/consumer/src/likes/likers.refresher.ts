import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { likersJsonOf } from '@app/database';

/** After a batch, how long to let others come: one refresh then covers every batch of a burst. */
const REFRESH_DELAY_MS = 250;
/** Logbooks refreshed per transaction. */
const SLICE = 1_000;

/**
 * Takes logbooks whose likers text is not known (NULL, set by the triggers when their likes changed),
 * locked the way a like batch locks them, and skips those a batch holds: with the lock, the next
 * statement's snapshot sees every committed like of those logbooks and no batch can change them
 * before this commits; a batch that comes later sets NULL again.
 */
const REFRESH_SQL = `
  WITH taken AS (
    SELECT id FROM logbooks WHERE likers_json IS NULL ORDER BY id LIMIT ${SLICE} FOR NO KEY UPDATE SKIP LOCKED
  )
  SELECT coalesce(array_agg(id), '{}') AS ids FROM taken`;
const FILL_SQL = `UPDATE logbooks l SET likers_json = coalesce(${likersJsonOf('l')}, '[]') WHERE l.id = ANY($1::bigint[])`;

/**
 * Keeps `logbooks.likers_json` filled in, off the like batches' path: a batch only marks what it
 * changed (the triggers), and this computes the text once per burst of batches rather than once per
 * batch. Until it runs, readers aggregate the few unknown logbooks themselves, so nothing is ever
 * served wrong, only slower.
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
      const filled = await this.db.transaction(async (m) => {
        const [{ ids }] = await m.query(REFRESH_SQL);
        if (ids.length) await m.query(FILL_SQL, [ids]);
        return ids.length as number;
      });
      if (filled < SLICE || this.stopped) return;
    }
  }
}
