/**
 * A response body that is already JSON text (Postgres built it with json_agg): sent as it is, never
 * parsed and re-serialized. The view cache interceptor turns it into the reply.
 */
export class RawJson {
  /** `logbooks`: for a view cached with `likes: 'per-logbook'`, the logbooks whose likes the text shows. */
  constructor(
    readonly text: string,
    readonly logbooks?: readonly number[],
  ) {}
}
