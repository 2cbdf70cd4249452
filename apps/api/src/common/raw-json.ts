/**
 * A response body that is already JSON text (Postgres built it with json_agg): sent as it is, never
 * parsed and re-serialized. The view cache interceptor turns it into the reply.
 */
export class RawJson {
  constructor(readonly text: string) {}
}
