import { isoUtc } from '../common/sql-text.js';

/** $1 = owner → the original's bare array `[{id, region, country, intro, created_at, user}]`, in the recommender's order. */
export const SPOTS_SQL = `
  SELECT coalesce(json_agg(json_build_object('id', s.id, 'region', s.region, 'country', s.country, 'intro', s.intro,
                                             'created_at', ${isoUtc('s.created_at')}, 'user', s.user_id) ORDER BY s.id), '[]')::text AS doc
    FROM spots s WHERE s.user_id = $1`;

/**
 * A pending request older than this is taken as lost (its command failed on our side) and a new one
 * may start; until then a second POST joins the one in flight.
 */
const STALE_AFTER = '5 minutes';

/**
 * $1 = user, $2 = new command id → the row only if this call started a recommendation: none is in
 * flight, or the one that is has gone stale. The conflict's WHERE decides, so two racing POSTs cannot
 * both start one.
 */
export const CLAIM_SQL = `
  INSERT INTO spot_requests AS q (user_id, command_id, status) VALUES ($1, $2, 'pending')
  ON CONFLICT (user_id) DO UPDATE
     SET command_id = EXCLUDED.command_id, status = 'pending', error = NULL, requested_at = now(), finished_at = NULL
   WHERE q.status <> 'pending' OR q.requested_at < now() - '${STALE_AFTER}'::interval
  RETURNING q.command_id`;

/** $1 = user → the request as the status route shows it, and the command id a waiter compares. */
export const REQUEST_SQL = `
  SELECT command_id, status, error, ${isoUtc('requested_at')} AS requested_at, ${isoUtc('finished_at')} AS finished_at
    FROM spot_requests WHERE user_id = $1`;
