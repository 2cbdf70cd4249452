import { isoUtc } from '../common/sql-text.js';

/** `{id, <column>, created_at, user}`, the original's serializer for a bucket list or a skill. */
export const itemJson = (alias: string, column: string) =>
  `json_build_object('id', ${alias}.id, '${column}', ${alias}.${column}, 'created_at', ${isoUtc(`${alias}.created_at`)}, 'user', ${alias}.user_id)`;

/** The newest ones a diver's public list shows: bounded, whatever a diver has stored. */
export const PUBLIC_LIST_MAX = 100;

/**
 * The SQL of a diver's own list of short texts (bucket lists, skills), every statement scoped to its
 * owner ($1) so that another diver's id is simply not found. Oldest first, as the original listed them;
 * the JSON is built by Postgres and each read or write is one statement.
 */
export function ownedItemQueries(table: string, column: string) {
  const json = itemJson('i', column);
  return {
    /** $1 owner, $2 limit, $3 offset → {count, results}. */
    page: `
      SELECT (SELECT count(*) FROM ${table} WHERE user_id = $1)::int AS count,
             (SELECT coalesce(json_agg(${json} ORDER BY i.created_at, i.id), '[]')::text
                FROM (SELECT * FROM ${table} WHERE user_id = $1 ORDER BY created_at, id LIMIT $2 OFFSET $3) i) AS results`,
    /** $1 owner, $2 id → {doc}. */
    one: `SELECT ${json}::text AS doc FROM ${table} i WHERE i.user_id = $1 AND i.id = $2`,
    /** $1 owner, $2 text → {doc}. */
    insert: `INSERT INTO ${table} AS i (user_id, ${column}) VALUES ($1, $2) RETURNING ${json}::text AS doc`,
    /** $1 owner, $2 id, $3 text or null (unchanged) → {doc}, or no row. */
    update: `UPDATE ${table} AS i SET ${column} = coalesce($3, i.${column}) WHERE i.user_id = $1 AND i.id = $2 RETURNING ${json}::text AS doc`,
    /** $1 owner, $2 id → the deleted id, or no row. */
    remove: `DELETE FROM ${table} WHERE user_id = $1 AND id = $2 RETURNING id`,
    /** $1 diver → {found, results}: the newest PUBLIC_LIST_MAX, newest first. */
    ofDiver: `
      SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND is_active) AS found,
             (SELECT coalesce(json_agg(${json} ORDER BY i.created_at DESC, i.id DESC), '[]')::text
                FROM (SELECT * FROM ${table} WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT ${PUBLIC_LIST_MAX}) i) AS results`,
  };
}
