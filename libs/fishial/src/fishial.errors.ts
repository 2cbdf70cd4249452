/**
 * A failed Fishial call. `transient` ones (timeouts, network errors, 5xx, 429) are worth retrying;
 * the rest (refused upload URL, redirect, malformed answer, other 4xx) will fail the same way again.
 */
export class FishialError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}
