/** What went wrong, as a fixed set: the `class` label of the outside-service error metrics. */
export type FishialErrorClass =
  'timeout' | 'network' | 'http_5xx' | 'rate_limited' | 'http_4xx' | 'redirect' | 'auth' | 'bad_answer' | 'upload_url';

/**
 * A failed Fishial call. `transient` ones (timeouts, network errors, 5xx, 429) are worth retrying;
 * the rest (refused upload URL, redirect, malformed answer, other 4xx) will fail the same way again.
 */
export class FishialError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly kind: FishialErrorClass,
  ) {
    super(message);
  }
}
