import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DIVE_TYPES, WEATHERS } from '@app/database';
import { type SiteStats, recommendFrom, tasteOf } from './community.ranking.js';
import { type Diver, type RecommendedSpot, type Recommender, RecommenderError, SPOT_COUNT } from './recommender.js';

/** The most logged sites are the candidates: a bound on what one recommendation reads and ranks. */
const CANDIDATES = 500;

const counts = (column: string, values: readonly string[]) =>
  `json_build_object(${values.map((v) => `'${v}', count(*) FILTER (WHERE ${column} = '${v}')`).join(', ')})`;

/**
 * One pass over the logbooks, grouped by site (named by its most logged spelling, the first in order
 * among equals): both columns are held to fixed values by CHECKs, so
 * their counts are FILTERed aggregates rather than a second grouping. $1 = the diver, $2 = the bound.
 */
const SITES_SQL = `
  SELECT mode() WITHIN GROUP (ORDER BY btrim(dive_site)) AS site, count(*)::int AS logs,
         min(max_depth) AS "minDepth", max(max_depth) AS "maxDepth", avg(max_depth)::float8 AS "avgDepth",
         sum(likes_count)::int AS likes,
         ${counts('type_of_dive', DIVE_TYPES)} AS types, ${counts('weather', WEATHERS)} AS weathers,
         bool_or(user_id = $1) AS dived
    FROM logbooks
   WHERE btrim(dive_site) <> ''
   GROUP BY lower(btrim(dive_site))
   ORDER BY count(*) DESC, sum(likes_count) DESC, lower(btrim(dive_site))
   LIMIT $2`;

/**
 * Recommends from what the community has logged, with no outside call: deterministic for the same
 * data (see community.ranking.ts for the order and the intro).
 */
@Injectable()
export class CommunityRecommender implements Recommender {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async recommend(diver: Diver): Promise<RecommendedSpot[]> {
    const sites: SiteStats[] = await this.db.query(SITES_SQL, [diver.userId, CANDIDATES]);
    const spots = recommendFrom(sites, tasteOf(diver.preferences));
    if (!spots) {
      throw new RecommenderError(
        `The community has logged ${sites.length} dive site${sites.length === 1 ? '' : 's'} so far; ${SPOT_COUNT} are needed.`,
        'no_data',
      );
    }
    return spots;
  }
}
