/** ISO 8601 in UTC with microseconds, as every other timestamp of the API. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * One notification as the client reads it, from `n` (notifications), `a` (its actor, users) and `m`
 * (its message, if any): NOTIFICATION_FROM joins them. Title, link and meta are derived here rather
 * than stored, so a renamed actor shows their new name.
 */
export const NOTIFICATION_JSON = `json_build_object(
  'id', n.id, 'type', n.type, 'is_read', n.is_read, 'created_at', ${iso('n.created_at')},
  'title', CASE n.type WHEN 'like' THEN a.username || ' liked your log'
                       WHEN 'comment' THEN a.username || ' commented on your log'
                       WHEN 'friend' THEN a.username || ' added you as a buddy'
                       ELSE a.username || ' sent you a message' END,
  'link', CASE WHEN n.logbook_id IS NOT NULL THEN '/log/' || n.logbook_id
               WHEN n.type = 'friend' THEN '/mypage'
               ELSE '/messages' END,
  'meta', CASE WHEN m.id IS NULL THEN json_build_object('actor', a.username)
               ELSE json_build_object('actor', a.username, 'sender', json_build_object('id', a.id, 'username', a.username),
                                      'preview', left(m.content, 80)) END)`;

/** What NOTIFICATION_JSON reads, around a relation `n` of notification rows. */
export const notificationFrom = (n: string) => `${n} n JOIN users a ON a.id = n.actor_id LEFT JOIN messages m ON m.id = n.message_id`;

/** Statements other features run inside their own transaction, so a notification commits with its cause. */
export const NotificationsSql = {
  /**
   * `$1` added `$2` as a buddy: `$2` is told. Run it in the buddy-add transaction, after the pair is
   * inserted, only when that insert created the pair (a repeated add notifies nobody).
   * Returns the new notification's id.
   */
  friend: `INSERT INTO notifications (user_id, type, actor_id) SELECT $2::bigint, 'friend', $1::bigint WHERE $1::bigint <> $2::bigint RETURNING id`,
} as const;
