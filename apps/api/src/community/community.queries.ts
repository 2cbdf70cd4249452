import { isoUtc } from '../common/sql-text.js';

/**
 * The home page's statistics and the job board, each one statement whose JSON Postgres builds. Ties
 * are broken by something unique (the user's id, the site's name), so the same data always gives
 * the same answer.
 */

/** `[[username, likes received], …]`: the three active divers whose logbooks hold the most likes. */
export const TOP_MEMBERS_SQL = `
  SELECT coalesce(json_agg(json_build_array(t.username, t.total) ORDER BY t.total DESC, t.id), '[]')::text AS doc
    FROM (SELECT u.id, u.username, coalesce(s.total, 0) AS total
            FROM users u
            LEFT JOIN (SELECT user_id, sum(likes_count)::int AS total FROM logbooks GROUP BY user_id) s ON s.user_id = u.id
           WHERE u.is_active
           ORDER BY total DESC, u.id
           LIMIT 3) t`;

/** `[[dive_site, logbooks there], …]`: the three sites logged most often. */
export const TOP_SPOTS_SQL = `
  SELECT coalesce(json_agg(json_build_array(t.dive_site, t.n) ORDER BY t.n DESC, t.dive_site), '[]')::text AS doc
    FROM (SELECT dive_site, count(*)::int AS n FROM logbooks GROUP BY dive_site ORDER BY n DESC, dive_site LIMIT 3) t`;

export const JOB_JSON = `json_build_object('id', j.id, 'title', j.title, 'location', j.location,
  'description', j.description, 'created_at', ${isoUtc('j.created_at')}, 'user', j.user_id)`;

const BOARD_ORDER = 'j.created_at DESC, j.id DESC';

/** $1 = limit, $2 = offset → {count, results}, newest post first. */
export const JOBS_PAGE_SQL = `
  SELECT (SELECT count(*) FROM jobs) AS count,
         (SELECT coalesce(json_agg(${JOB_JSON} ORDER BY ${BOARD_ORDER}), '[]')::text
            FROM (SELECT * FROM jobs j ORDER BY ${BOARD_ORDER} LIMIT $1 OFFSET $2) j) AS results`;

/** $1 = id → {doc}. */
export const JOB_SQL = `SELECT ${JOB_JSON}::text AS doc FROM jobs j WHERE j.id = $1`;

/** $1 = author, $2 = title, $3 = location, $4 = description → {doc}. */
export const CREATE_JOB_SQL = `
  INSERT INTO jobs AS j (user_id, title, location, description) VALUES ($1, $2, $3, $4)
  RETURNING ${JOB_JSON}::text AS doc`;
