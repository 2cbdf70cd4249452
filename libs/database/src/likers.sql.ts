/**
 * The likers of the logbook aliased `logbook` as `logbooks.likers_json` holds them: usernames in user
 * id order as `json_agg` writes them, NULL for none. Defined once, in the database
 * (`logbook_likers_json`, migration 1764800000000), which the consumer's refresher fills them in with.
 */
export const likersJsonOf = (logbook: string) => `logbook_likers_json(${logbook}.id)`;
