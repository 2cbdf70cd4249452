/**
 * Like or unlike. `version` is stamped by the API (time-ordered, unique, see VersionClock) so the
 * final state is the last writer's whatever order consumers see; unlike is a tombstone
 * (`liked=false`), never a DELETE. `version` is a decimal string: it does not fit a JS number.
 */
export interface LikeCommand {
  id: string;
  userId: number;
  logbookId: number;
  liked: boolean;
  version: string;
}

export interface RecognitionCommand {
  id: string;
  photoId: number;
  userId: number;
}

/** Asks for a user's three recommended spots; `id` also marks the one request of theirs in flight. */
export interface RecommendationCommand {
  id: string;
  userId: number;
}

/**
 * One e-mail for the consumer to send. Only templates the consumer knows travel, with their data:
 * the text is built there, so a command cannot carry arbitrary mail. `expiresAt` (ISO 8601) is when
 * the mail stops being worth sending: a code that can no longer be used is dropped, not mailed late.
 *
 * A reset request is published for every address, with or without an account: the consumer stores
 * `codeHash` (base64url) for the account `to` names and mails `code` only if there is one, so the
 * API does the same work whatever the address. `issuedAt` orders the requests of one address: an
 * older one handled late (concurrent sends, a redelivery) does not replace a newer code.
 */
export interface MailCommand {
  id: string;
  template: 'password-reset';
  to: string;
  code: string;
  codeHash: string;
  issuedAt: string;
  expiresAt: string;
}

const MAX_BIGINT = 2n ** 63n - 1n;

function isId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

/**
 * The consumer trusts nothing on the wire: anything but a well-formed command is dead-lettered, so
 * one bad message can never fail a whole batch's transaction.
 */
export function parseLikeCommand(data: unknown): LikeCommand | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const c = data as Record<string, unknown>;
  if (typeof c.id !== 'string' || c.id.length === 0 || c.id.length > 64) return undefined;
  if (!isId(c.userId) || !isId(c.logbookId) || typeof c.liked !== 'boolean') return undefined;
  if (typeof c.version !== 'string' || !/^[1-9]\d{0,18}$/.test(c.version) || BigInt(c.version) > MAX_BIGINT) return undefined;
  return { id: c.id, userId: c.userId, logbookId: c.logbookId, liked: c.liked, version: c.version };
}

/**
 * The most like commands one message carries. The API gathers the likes it accepts in one turn of its
 * event loop into one message (one broker write and confirm for all of them); the bound keeps a
 * message, and the consumer's prefetch window of them, small.
 */
export const MAX_LIKE_COMMANDS_PER_MESSAGE = 100;

/**
 * A like message's payload: a list of 1 to MAX_LIKE_COMMANDS_PER_MESSAGE commands, or one command
 * alone (what the API published before it gathered them: such messages may still be queued after an
 * upgrade). One malformed command makes the whole message malformed: the API never writes one, so a
 * bad message is not ours, and it is dead-lettered whole.
 */
export function parseLikeCommands(data: unknown): LikeCommand[] | undefined {
  if (!Array.isArray(data)) {
    const one = parseLikeCommand(data);
    return one && [one];
  }
  if (data.length === 0 || data.length > MAX_LIKE_COMMANDS_PER_MESSAGE) return undefined;
  const commands: LikeCommand[] = [];
  for (const item of data) {
    const command = parseLikeCommand(item);
    if (!command) return undefined;
    commands.push(command);
  }
  return commands;
}

export function parseRecognitionCommand(data: unknown): RecognitionCommand | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const c = data as Record<string, unknown>;
  if (typeof c.id !== 'string' || c.id.length === 0 || c.id.length > 64) return undefined;
  if (!isId(c.photoId) || !isId(c.userId)) return undefined;
  return { id: c.id, photoId: c.photoId, userId: c.userId };
}

export function parseRecommendationCommand(data: unknown): RecommendationCommand | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const c = data as Record<string, unknown>;
  if (typeof c.id !== 'string' || c.id.length === 0 || c.id.length > 64) return undefined;
  if (!isId(c.userId)) return undefined;
  return { id: c.id, userId: c.userId };
}

function isInstant(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 32 && !Number.isNaN(Date.parse(value));
}

/** A plausible single address, no display name or list: the consumer never parses a header line from it. */
const MAIL_ADDRESS = /^[^\s@<>(),;:"\\]{1,64}@[A-Za-z0-9.-]{1,253}$/;

export function parseMailCommand(data: unknown): MailCommand | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const c = data as Record<string, unknown>;
  if (typeof c.id !== 'string' || c.id.length === 0 || c.id.length > 64) return undefined;
  if (c.template !== 'password-reset') return undefined;
  if (typeof c.to !== 'string' || c.to.length > 254 || !MAIL_ADDRESS.test(c.to)) return undefined;
  if (typeof c.code !== 'string' || !/^\d{6}$/.test(c.code)) return undefined;
  // A SHA-256 HMAC: 32 bytes, 43 base64url characters.
  if (typeof c.codeHash !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(c.codeHash)) return undefined;
  if (!isInstant(c.issuedAt) || !isInstant(c.expiresAt)) return undefined;
  return { id: c.id, template: c.template, to: c.to, code: c.code, codeHash: c.codeHash, issuedAt: c.issuedAt, expiresAt: c.expiresAt };
}
