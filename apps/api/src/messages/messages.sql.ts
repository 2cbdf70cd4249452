const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** One message, from `m` (messages), `s` (its sender) and `r` (its receiver). */
const MESSAGE_JSON = `json_build_object('id', m.id, 'template', m.template, 'content', m.content, 'is_read', m.is_read,
  'created_at', ${iso('m.created_at')},
  'sender', json_build_object('id', s.id, 'username', s.username),
  'receiver', json_build_object('id', r.id, 'username', r.username))`;
const people = 'JOIN users s ON s.id = m.sender_id JOIN users r ON r.id = m.receiver_id';

/**
 * $1 sender, $2 receiver id or $3 receiver username (one of them null), $4 template, $5 content. The
 * message and its receiver's notification are one statement, so they commit together; nothing is
 * written unless exactly one user matches and it is not the sender (`matches` says why not).
 */
export const CREATE_SQL = `
  WITH target AS (
    SELECT id FROM users WHERE id = $2::bigint OR ($2::bigint IS NULL AND username = $3::text) LIMIT 2
  ), one AS (
    SELECT id FROM target WHERE (SELECT count(*) FROM target) = 1 AND id <> $1
  ), m AS (
    INSERT INTO messages (sender_id, receiver_id, template, content)
    SELECT $1, id, $4, $5 FROM one RETURNING *
  ), n AS (
    INSERT INTO notifications (user_id, type, actor_id, message_id)
    SELECT receiver_id, 'message', sender_id, id FROM m RETURNING id
  )
  SELECT (SELECT count(*) FROM target)::int AS matches, (SELECT bool_or(id = $1) FROM target) AS self,
         (SELECT ${MESSAGE_JSON}::text FROM m ${people}) AS doc, (SELECT receiver_id FROM m) AS receiver`;

/** $1 the box's owner, $2 limit, $3 offset; `column` is receiver_id (inbox) or sender_id (sent). */
export const boxSql = (column: 'receiver_id' | 'sender_id') => `
  SELECT (SELECT count(*) FROM messages WHERE ${column} = $1)::int AS count,
         (SELECT coalesce(json_agg(${MESSAGE_JSON} ORDER BY m.id DESC), '[]')::text
            FROM (SELECT * FROM messages WHERE ${column} = $1 ORDER BY id DESC LIMIT $2 OFFSET $3) m ${people}) AS results`;

/** The receiver reads message $1: its notification is read with it. */
export const READ_SQL = `
  WITH m AS (UPDATE messages SET is_read = true WHERE id = $1 AND receiver_id = $2 RETURNING *),
       n AS (UPDATE notifications SET is_read = true WHERE message_id IN (SELECT id FROM m) RETURNING 1)
  SELECT ${MESSAGE_JSON}::text AS doc FROM m ${people}`;
