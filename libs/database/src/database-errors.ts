const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/**
 * True when an error says Postgres cannot be reached or refuses work right now (as opposed to a bad
 * statement): the request may be retried later, so the API answers 503, not 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.driverError && isDatabaseUnavailable(e.driverError)) return true;
  const code = typeof e.code === 'string' ? e.code : '';
  if (UNAVAILABLE_CODES.has(code) || code.startsWith('08')) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not currently accepting connections/i.test(
    message,
  );
}

/**
 * True for a write that referenced a user row that no longer exists (a foreign key into `users`): the
 * account was deleted while its token was still cached, which is the caller's 401, not our 500.
 */
export function isMissingUser(err: unknown): boolean {
  const e = (err as { driverError?: { code?: unknown; detail?: unknown } } | null)?.driverError;
  return e?.code === '23503' && typeof e.detail === 'string' && e.detail.endsWith('is not present in table "users".');
}
