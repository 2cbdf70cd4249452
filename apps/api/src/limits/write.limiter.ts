import { Inject, Injectable } from '@nestjs/common';
import { limitsConfig, type LimitsEnv } from './limits.config.js';
import { type Limit, LimitExceeded, RateLimits } from './rate-limits.js';
import { TooManyRequestsException } from './too-many-requests.exception.js';

/** The kinds of writes limited per user, each by its own WRITE_LIMIT_<KIND>_PER_MINUTE. */
export type WriteKind = 'comments' | 'logbooks' | 'photos' | 'community';

/**
 * Per-user write rates: one user cannot flood a shared list or our storage, whatever their token allows.
 * A new kind is a config field and an entry below; a route opts in with `@LimitWrites(kind)`.
 */
const perMinute = (points: number) => ({ points, durationSeconds: 60 });

@Injectable()
export class WriteLimiter {
  private readonly limits: Record<WriteKind, Limit>;

  constructor(rates: RateLimits, @Inject(limitsConfig.KEY) env: LimitsEnv) {
    this.limits = {
      comments: rates.create('write-comments', perMinute(env.WRITE_LIMIT_COMMENTS_PER_MINUTE)),
      logbooks: rates.create('write-logbooks', perMinute(env.WRITE_LIMIT_LOGBOOKS_PER_MINUTE)),
      photos: rates.create('write-photos', perMinute(env.WRITE_LIMIT_PHOTOS_PER_MINUTE)),
      community: rates.create('write-community', perMinute(env.WRITE_LIMIT_COMMUNITY_PER_MINUTE)),
    };
  }

  /** Counts one write of `kind` by `userId`; throws the 429 when the user is over the rate. */
  async admit(kind: WriteKind, userId: number): Promise<void> {
    try {
      await this.limits[kind].consume(String(userId));
    } catch (err) {
      if (err instanceof LimitExceeded) throw new TooManyRequestsException(err.retryAfterSeconds);
      throw err;
    }
  }
}
