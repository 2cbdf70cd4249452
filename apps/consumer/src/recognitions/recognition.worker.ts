import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { FishialClient, FishialError, type FishialImage, isFishialImageType } from '@app/fishial';
import { backoffMs, type RecognitionCommand } from '@app/messaging';
import { StorageService, detectImageType } from '@app/storage';
import { consumerConfig, type ConsumerEnv } from '../consumer.config.js';
import { consumerMetrics } from '../metrics/consumer.metrics.js';
import type { RecognitionOutcome } from './recognition-result.writer.js';

const FISHIAL = { service: 'fishial' };

interface PhotoRow {
  id: number;
  user_id: number;
  storage_key: string;
  status: string | null;
}

/**
 * One recognition: the photo's own stored file (never a URL from a client) through Fishial, with
 * transient failures retried with exponential backoff and jitter, and anything else, or the last
 * transient one, recorded as `failed` with its reason. Returns undefined when there is nothing to do:
 * the photo is gone, is not the commander's, or is already done (a repeated command is a no-op).
 */
@Injectable()
export class RecognitionWorker {
  private readonly logger = new Logger(RecognitionWorker.name);
  /**
   * Commands arrive in bursts (one batch classify is up to 100 of them): the rows asked for in one
   * turn of the event loop are read with one SELECT, not one each, so the last photo of a burst does
   * not start Fishial's calls behind a queue of queries. Never cached: the status decides.
   */
  private readonly rows = new DataLoader<number, PhotoRow | undefined>(
    async (ids) => {
      const found: PhotoRow[] = await this.db.query('SELECT id, user_id, storage_key, status FROM photos WHERE id = ANY($1::bigint[])', [
        ids,
      ]);
      const byId = new Map(found.map((row) => [Number(row.id), row]));
      return ids.map((id) => byId.get(id));
    },
    { cache: false, batchScheduleFn: (run) => setImmediate(run) },
  );

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly fishial: FishialClient,
    @Inject(consumerConfig.KEY) private readonly env: ConsumerEnv,
  ) {}

  async run(command: RecognitionCommand): Promise<RecognitionOutcome | undefined> {
    this.fishial.prepare();
    const photo = await this.load(command.photoId);
    if (!photo || photo.user_id !== command.userId || photo.status === 'done') return undefined;
    const failed = (error: string): RecognitionOutcome => ({
      id: photo.id,
      status: 'failed',
      classified_as: null,
      species: null,
      result: null,
      error,
    });

    // Bounded before reading: an object-store upload has no size limit of its own.
    const size = await this.storage.size(photo.storage_key);
    if (size === undefined) return failed('The image file is missing from storage.');
    if (size > this.storage.env.UPLOAD_MAX_BYTES) return failed('The image file is too large.');
    let bytes: Buffer;
    try {
      bytes = await this.storage.read(photo.storage_key);
    } catch {
      return failed('The image file could not be read from storage.');
    }
    const type = detectImageType(bytes);
    if (!isFishialImageType(type)) return failed('The file is not a JPEG, PNG or GIF image.');
    const image: FishialImage = { bytes, filename: photo.storage_key.split('/').pop()!, contentType: type };

    for (let attempt = 1; ; attempt++) {
      consumerMetrics.outsideCalls.inc(FISHIAL);
      try {
        const found = await this.fishial.recognize(image);
        return { id: photo.id, status: 'done', classified_as: found.classifiedAs, species: found.species, result: found.raw, error: null };
      } catch (err) {
        consumerMetrics.outsideErrors.inc({ ...FISHIAL, class: err instanceof FishialError ? err.kind : 'unexpected' });
        const transient = err instanceof FishialError && err.transient;
        if (!transient || attempt >= this.env.RECOGNITION_ATTEMPTS) {
          const reason = err instanceof FishialError ? err.message : 'Unexpected error while calling Fishial.';
          if (!(err instanceof FishialError)) this.logger.error(`photo ${photo.id}: ${(err as Error).stack}`);
          return failed(transient ? `${reason} (after ${attempt} attempts)` : reason);
        }
        const delay = this.env.RECOGNITION_RETRY_BASE_MS * 2 ** (attempt - 1);
        await sleep(delay / 2 + Math.random() * delay);
      }
    }
  }

  /** The photo row; while Postgres is unreachable it waits (the message stays unacked). */
  private async load(id: number): Promise<PhotoRow | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.rows.load(id);
      } catch (err) {
        const delay = backoffMs(attempt);
        this.logger.warn(`photo ${id} not loaded (${(err as Error).message}); retry in ${delay} ms`);
        await sleep(delay);
      }
    }
  }
}
