import { ANSWERS } from './dto/preferences.dto.js';

/** `{id, <answers in column order>, user}` of preferences row `p`. */
export const PREFERENCES_JSON = `json_build_object('id', p.id, ${ANSWERS.map((c) => `'${c}', p.${c}`).join(', ')}, 'user', p.user_id)`;

/** $1 = owner, $2 = limit, $3 = offset → {count, results}; a diver has at most one row. */
export const LIST_SQL = `
  SELECT (SELECT count(*) FROM preferences WHERE user_id = $1) AS count,
         (SELECT coalesce(json_agg(${PREFERENCES_JSON} ORDER BY p.id), '[]')::text
            FROM (SELECT * FROM preferences WHERE user_id = $1 ORDER BY id LIMIT $2 OFFSET $3) p) AS results`;

/** $1 = id, $2 = owner → {doc}: someone else's row is as absent as a missing one. */
export const DETAIL_SQL = `SELECT ${PREFERENCES_JSON}::text AS doc FROM preferences p WHERE p.id = $1 AND p.user_id = $2`;
