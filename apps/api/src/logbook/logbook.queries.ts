/**
 * The logbook views, built as JSON by Postgres in the original's field order, so that a page of any
 * size costs one statement (no N+1: equipment and likes are correlated subqueries on indexed keys)
 * and the API never parses or re-serializes rows. Every query takes $1 = viewer id (0 = anonymous)
 * and $2 = the media URL prefix for `dive_image`; so does any view that nests LOGBOOK_JSON over `l`.
 */

/** `bottom_time` of logbook `l` as DRF writes a duration: `HH:MM:SS`, or `D HH:MM:SS` from a day on. */
export const BOTTOM_TIME = `CASE WHEN l.bottom_time_seconds >= 86400 THEN (l.bottom_time_seconds / 86400) || ' ' ELSE '' END
    || to_char(make_interval(secs => l.bottom_time_seconds % 86400), 'HH24:MI:SS')`;

export const LOGBOOK_JSON = `json_build_object(
  'id', l.id,
  'liked_by_current_user', EXISTS (SELECT 1 FROM likes v WHERE v.logbook_id = l.id AND v.user_id = $1 AND v.liked),
  'likes_count', l.likes_count,
  'dive_image_url', l.dive_image_url,
  'dive_image', CASE WHEN l.dive_image IS NULL THEN NULL ELSE $2 || l.dive_image END,
  'feeling', l.feeling,
  'buddy', l.buddy,
  'dive_title', l.dive_title,
  'dive_site', l.dive_site,
  'dive_date', l.dive_date,
  'max_depth', l.max_depth,
  'bottom_time', ${BOTTOM_TIME},
  'weather', l.weather,
  'type_of_dive', l.type_of_dive,
  'weight', l.weight,
  'start_pressure', l.start_pressure,
  'end_pressure', l.end_pressure,
  'user', l.user_id,
  'dive_center', l.dive_center_id,
  'equipment', (SELECT coalesce(json_agg(e.name ORDER BY e.id), '[]') FROM logbook_equipment le
                JOIN equipment e ON e.id = le.equipment_id WHERE le.logbook_id = l.id),
  'likes', (SELECT coalesce(json_agg(k.user_id ORDER BY k.user_id), '[]') FROM likes k
            WHERE k.logbook_id = l.id AND k.liked),
  'latitude', l.latitude,
  'longitude', l.longitude)`;

export const FEED_ORDER = 'l.dive_date DESC, l.id DESC';

/**
 * $3 = limit, $4 = offset → {count, results}. The total is the triggers' counter (table_counts), not
 * a count of every logbook per page; the page's ids are picked from the feed index alone (an
 * index-only scan: the rows skipped by OFFSET are never fetched) and only those rows read.
 */
export const PAGE_SQL = `
  SELECT (SELECT row_count FROM table_counts WHERE table_name = 'logbooks') AS count,
         (SELECT coalesce(json_agg(${LOGBOOK_JSON} ORDER BY ${FEED_ORDER}), '[]')::text
            FROM (SELECT l.* FROM (SELECT id FROM logbooks l ORDER BY ${FEED_ORDER} LIMIT $3 OFFSET $4) page
                    JOIN logbooks l ON l.id = page.id) l) AS results`;

/** $3 = owner id, $4 = limit, $5 = offset → {found, results}: one user's logbooks, newest dive first. */
export const BY_USER_SQL = `
  SELECT EXISTS (SELECT 1 FROM users WHERE id = $3 AND is_active) AS found,
         (SELECT coalesce(json_agg(${LOGBOOK_JSON} ORDER BY ${FEED_ORDER}), '[]')::text
            FROM (SELECT * FROM logbooks l WHERE l.user_id = $3 ORDER BY ${FEED_ORDER} LIMIT $4 OFFSET $5) l) AS results`;

/** $3 = logbook id → {doc}. */
export const DETAIL_SQL = `SELECT ${LOGBOOK_JSON}::text AS doc FROM logbooks l WHERE l.id = $3`;
