import { Inject, Injectable } from '@nestjs/common';
import { limitsConfig, type LimitsEnv } from './limits.config.js';
import { type Limit, LimitExceeded, RateLimits } from './rate-limits.js';
import { TooManyRequestsException } from './too-many-requests.exception.js';

/** Paid outside calls, each with its own per-user daily quota. */
export type QuotaName = 'recognitions' | 'recommendations';

const DAY_SECONDS = 86_400;

/**
 * Per-user daily quotas of calls that cost money (Fishial recognitions, spot recommendations).
 * The window starts at a user's first counted call and resets a day later, which Retry-After says.
 */
@Injectable()
export class DailyQuotas {
  private readonly quotas: Record<QuotaName, Limit>;

  constructor(rates: RateLimits, @Inject(limitsConfig.KEY) env: LimitsEnv) {
    this.quotas = {
      recognitions: rates.create('quota-recognitions', { points: env.RECOGNITION_DAILY_QUOTA, durationSeconds: DAY_SECONDS }),
      recommendations: rates.create('quota-recommendations', { points: env.RECOMMENDATION_DAILY_QUOTA, durationSeconds: DAY_SECONDS }),
    };
  }

  /**
   * Spends `count` of the user's quota, all or nothing: a batch that does not fit spends none of it
   * (the counter is given back) and throws the 429.
   */
  async take(name: QuotaName, userId: number, count: number): Promise<void> {
    if (count <= 0) return;
    const quota = this.quotas[name];
    try {
      await quota.consume(String(userId), count);
    } catch (err) {
      if (!(err instanceof LimitExceeded)) throw err;
      await quota.reward(String(userId), count);
      throw new TooManyRequestsException(
        err.retryAfterSeconds,
        `Daily ${name} quota reached. Try again in ${err.retryAfterSeconds} seconds.`,
      );
    }
  }

  /** Gives back what `take` spent on calls that were not made after all. */
  async giveBack(name: QuotaName, userId: number, count: number): Promise<void> {
    if (count > 0) await this.quotas[name].reward(String(userId), count);
  }
}
