/**
 * The likers of the logbook aliased `logbook` as `logbooks.likers_json` holds them: usernames in user
 * id order as `json_agg` writes them, NULL for none. Defined once, in the database
 * (`logbook_likers_json`, migration 1764800000000), which the consumer's refresher fills them in with.
 */
export const likersJsonOf = (logbook: string) => `logbook_likers_json(${logbook}.id)`;

/**
 * What the consumer's refresher leaves once it has run, for seeds and bulk loads (run inside their
 * transaction, after their writes): every likers text filled in, then the likes list's text.
 */
export const FILL_LIKES_TEXTS_SQL = [
  `UPDATE logbooks l SET likers_json = coalesce(${likersJsonOf('l')}, '[]') WHERE l.likers_json IS NULL`,
  'SELECT build_likes_list_document()',
];
