/** SQL fragments several views share, so that their JSON and their matching never drift apart. */

/** A timestamptz column as DRF writes datetimes: ISO 8601 in UTC with microseconds and a `Z`. */
export const isoUtc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * An ILIKE pattern that matches `text` anywhere, literally: `%`, `_` and `\` in it are escaped (the
 * backslash is ILIKE's default escape character), so a search for "100%" finds "100%", not "100".
 */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
