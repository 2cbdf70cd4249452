const BASE_MS = 100;
const MAX_MS = 5_000;

/**
 * Delay before retry `attempt` (0-based) of a command's work or its publish: doubling from 100 ms,
 * capped at 5 s by default (what waiting for Postgres uses), so an outage of minutes costs a retry
 * every few seconds rather than a busy loop. Callers with their own pace (an SMTP server, a publish
 * the API retries behind a reply) pass their base and cap.
 */
export function backoffMs(attempt: number, baseMs = BASE_MS, maxMs = MAX_MS): number {
  return Math.min(baseMs * 2 ** attempt, maxMs);
}
