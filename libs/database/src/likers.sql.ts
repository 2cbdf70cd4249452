/**
 * The likers of the logbook aliased `logbook` as `logbooks.likers_json` holds them: usernames in user
 * id order as `json_agg` writes them, NULL for none. The one definition, used by the API's likes
 * views for a logbook whose text is not known and by the consumer's LikersRefresher to fill it in.
 */
export const likersJsonOf = (logbook: string) => `
  (SELECT json_agg(u.username ORDER BY k.user_id)::text
     FROM likes k JOIN users u ON u.id = k.user_id
    WHERE k.logbook_id = ${logbook}.id AND k.liked)`;
