import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { SURVEY_ANSWERS } from '@app/database';
import { backoffMs, type RecommendationCommand } from '@app/messaging';
import { type Diver, RECOMMENDER, type Recommender, RecommenderError, validateSpots } from './recommender.js';
import type { SpotOutcome } from './spot-replacement.writer.js';

/**
 * The survey answers a recommender is given. Birthday and gender are left out: no recommendation
 * needs them, and an outside model should not receive them.
 */
const ANSWERS = SURVEY_ANSWERS.filter((a) => a !== 'birthday' && a !== 'gender');
const DIVED_SITES = 20;

/** $1 = user → their request, answers and most logged sites, in one statement. */
const DIVER_SQL = `
  SELECT r.command_id, r.status,
         (SELECT json_build_object(${ANSWERS.map((a) => `'${a}', p.${a}`).join(', ')}) FROM preferences p WHERE p.user_id = $1) AS preferences,
         (SELECT coalesce(json_agg(d.site), '[]') FROM (
            SELECT left(min(btrim(dive_site)), 120) AS site FROM logbooks
             WHERE user_id = $1 AND btrim(dive_site) <> ''
             GROUP BY lower(btrim(dive_site)) ORDER BY count(*) DESC, 1 LIMIT ${DIVED_SITES}) d) AS dived
    FROM spot_requests r WHERE r.user_id = $1`;

/**
 * One recommendation: the diver as Postgres has them, the configured recommender, its answer
 * validated. Undefined when there is nothing to do: the request is not this command's (a repeated or
 * superseded command) or is no longer pending. A recommender's own failure is an outcome (`failed`,
 * the old spots kept); anything else (Postgres away) is retried here with backoff, the message held
 * unacked, so an outage never spends the message's deliveries.
 */
@Injectable()
export class RecommendationWorker {
  private readonly logger = new Logger(RecommendationWorker.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(RECOMMENDER) private readonly recommender: Recommender,
  ) {}

  async run(command: RecommendationCommand): Promise<SpotOutcome | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        const [row] = await this.db.query(DIVER_SQL, [command.userId]);
        if (!row || row.command_id !== command.id || row.status !== 'pending') return undefined;
        const diver: Diver = { userId: command.userId, preferences: row.preferences, divedSites: row.dived };
        const spots = validateSpots(await this.recommender.recommend(diver));
        return { user_id: command.userId, command_id: command.id, status: 'done', error: null, spots };
      } catch (err) {
        if (err instanceof RecommenderError) {
          this.logger.warn(`recommendation for user ${command.userId} failed: ${err.message}`);
          return { user_id: command.userId, command_id: command.id, status: 'failed', error: err.message.slice(0, 500), spots: [] };
        }
        const delay = backoffMs(attempt);
        this.logger.warn(`recommendation for user ${command.userId} interrupted (${(err as Error).message}); retry in ${delay} ms`);
        await sleep(delay);
      }
    }
  }
}
