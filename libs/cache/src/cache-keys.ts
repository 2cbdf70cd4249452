/**
 * Views are invalidated by family: a like batch need not drop cached photos, a recognition logbooks,
 * a comment every logbook page, nor a post on the job board any of them. A view that reads several
 * kinds of rows depends on each of their families, and a write bumps only its own. `likes` is bumped
 * by like batches, whose announcement also names the logbooks they changed: a view that shows the
 * likes of a few logbooks (a page, a detail) checks those instead of keying by the family.
 */
export const VIEW_FAMILIES = ['logbooks', 'likes', 'comments', 'photos', 'users', 'buddies', 'bucket-lists', 'jobs'] as const;
export type ViewFamily = (typeof VIEW_FAMILIES)[number];

/**
 * The one place that spells Redis keys. The API stores and reads with these and the consumer bumps
 * and announces generations with these, so the two can never drift apart. Every key starts with the namespace.
 */
export class CacheKeys {
  constructor(readonly namespace: string) {}

  /** Cache-aside copy of a user row for the JWT guard (so an authenticated request issues no SQL for its user). */
  authUser(userId: number): string {
    return `${this.namespace}:auth:user:${userId}`;
  }

  /**
   * The generation every cached view is keyed by. Writes that can change a logbook or like view bump
   * it after they commit instead of deleting keys: a delete races with a reader that fetched the old
   * rows just before the commit and stores them just after, a bump does not (that reader stores
   * under the dead generation). Old generations expire by TTL; nothing ever scans or pattern-deletes.
   */
  viewsGeneration(family: ViewFamily): string {
    return `${this.namespace}:views:gen:${family}`;
  }

  /**
   * A cached response body, under the current generation of every family it depends on (in the same
   * order), so that a bump of any one of them makes it unreachable. `viewer` is the caller's id for
   * views with per-user fields and 0 for shared ones, so no user can ever be served another's
   * `liked_by_current_user`. `variant` is a digest of the canonical request (origin, path, the query
   * parameters the route reads).
   */
  view(families: readonly ViewFamily[], generations: readonly number[], name: string, viewer: number, variant: string): string {
    if (!families.length || families.length !== generations.length) throw new Error('one generation per view family');
    return `${this.namespace}:views:${families.join('+')}:${generations.join('.')}:${name}:${viewer}:${variant}`;
  }

  /**
   * Pub/sub channel on which every bump announces `<family> <generation>`, a like batch's
   * `likes <generation> <logbook id,…>` (and readers their beats).
   */
  viewGenerations(): string {
    return `${this.namespace}:events:views-gen`;
  }

  /** Pub/sub channel on which the consumer announces finished recognitions (payload: photo ids). */
  photoEvents(): string {
    return `${this.namespace}:events:photos`;
  }

  /** Pub/sub channel on which the consumer announces users whose recommendation finished (payload: user ids). */
  recommendationEvents(): string {
    return `${this.namespace}:events:recommendations`;
  }

  /**
   * Pub/sub channel on which a committed notification is announced (payload: the recipients' user
   * ids, comma-separated). A listener reads the rows themselves from Postgres, so a lost announcement
   * costs latency, never content.
   */
  notificationEvents(): string {
    return `${this.namespace}:events:notifications`;
  }

  /** A single-use stream ticket (value: the user id), set with a short expiry and redeemed with GETDEL. */
  streamTicket(ticket: string): string {
    return `${this.namespace}:stream-ticket:${ticket}`;
  }

  /** Key prefix handed to rate-limiter-flexible, which appends its own per-subject suffix. */
  rateLimit(name: string): string {
    return `${this.namespace}:rl:${name}`;
  }
}
