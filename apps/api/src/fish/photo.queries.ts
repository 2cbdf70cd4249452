/** A photo as the API shows it; $1 = the URL prefix of stored files. */
export const PHOTO_JSON = `json_build_object(
  'id', p.id,
  'title', p.title,
  'image_url', $1 || p.storage_key,
  'uploaded_at', to_char(p.uploaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
  'classified_as', p.classified_as,
  'status', p.status,
  'species', p.species,
  'fishial_result', p.fishial_result,
  'error', p.error)`;

/** $2 = owner, $3 = limit, $4 = offset → {count, results}, newest first. */
export const PAGE_SQL = `
  SELECT (SELECT count(*) FROM photos WHERE user_id = $2) AS count,
         (SELECT coalesce(json_agg(${PHOTO_JSON} ORDER BY p.uploaded_at DESC, p.id DESC), '[]')::text
            FROM (SELECT * FROM photos WHERE user_id = $2 ORDER BY uploaded_at DESC, id DESC LIMIT $3 OFFSET $4) p) AS results`;

/** $2 = owner, $3 = id → {doc, status}; another user's photo is not found. */
export const DETAIL_SQL = `SELECT ${PHOTO_JSON}::text AS doc, p.status FROM photos p WHERE p.user_id = $2 AND p.id = $3`;
