/**
 * The one place that spells Redis keys. The API stores with these and the consumer evicts with
 * these, so the two can never drift apart. Every key starts with the namespace.
 */
export class CacheKeys {
  constructor(readonly namespace: string) {}

  /** Cache-aside copy of a user row for the JWT guard (seed 004: no SQL per authenticated request). */
  authUser(userId: number): string {
    return `${this.namespace}:auth:user:${userId}`;
  }

  /** Key prefix handed to rate-limiter-flexible, which appends its own per-subject suffix. */
  rateLimit(name: string): string {
    return `${this.namespace}:rl:${name}`;
  }
}
