import type pg from 'pg';
import type { Diver } from './api.js';
import { countsMatchRows, observe } from './likes-model.js';

export interface LikeLoadOptions {
  /** The API's base URL. */
  url: string;
  likers: Diver[];
  logbookIds: number[];
  /** Lanes sending at once; each key belongs to one lane, so a key's commands never overlap. */
  lanes: number;
  /** Keeps sending until this returns true (checked between commands). */
  done: (sent: number) => boolean;
  /** Gives up on one command after this long of 503s (the suite then fails: something never recovered). */
  retryForMs?: number;
}

export interface LikeLoadResult {
  /** Requests sent, including retries. */
  sent: number;
  accepted: number;
  /** Answers by status. */
  statuses: Record<number, number>;
  /** Each key's last intent answered 202: the last writer, since a key's commands are sequential. */
  expected: Map<string, boolean>;
  /** Commands that never got a 202 within retryForMs. */
  abandoned: number;
  /** 2xx answers other than 202, and 202s without the asked state: must stay 0. */
  wrong: number;
  maxLatencyMs: number;
}

/**
 * Like/unlike commands through the real API as a client would send them: random keys and intents,
 * a 503 retried (with Retry-After's spirit, briefly) until it is a 202. Because a key's commands are
 * sequential and each retry gets a newer version than the refused attempt, the state a correct
 * system ends in is exactly each key's last 202'd intent, whatever was refused or redelivered.
 */
export async function driveLikes(options: LikeLoadOptions): Promise<LikeLoadResult> {
  const { url, likers, logbookIds, lanes, done, retryForMs = 60_000 } = options;
  const result: LikeLoadResult = { sent: 0, accepted: 0, statuses: {}, expected: new Map(), abandoned: 0, wrong: 0, maxLatencyMs: 0 };
  const keys = likers.flatMap((diver) => logbookIds.map((logbookId) => ({ diver, logbookId })));
  let commands = 0;

  const send = async (diver: Diver, logbookId: number, liked: boolean): Promise<number> => {
    const t0 = Date.now();
    const res = await fetch(`${url}/api/logbooks/${logbookId}/like/`, {
      method: liked ? 'POST' : 'DELETE',
      headers: { Authorization: `Bearer ${diver.access}` },
    }).catch(() => undefined);
    result.sent++;
    result.maxLatencyMs = Math.max(result.maxLatencyMs, Date.now() - t0);
    const status = res?.status ?? 0;
    result.statuses[status] = (result.statuses[status] ?? 0) + 1;
    const body = res ? await res.text() : '';
    if (status >= 200 && status < 300 && (status !== 202 || JSON.parse(body).liked !== liked)) result.wrong++;
    return status;
  };

  const lane = async (index: number) => {
    const mine = keys.filter((_, i) => i % lanes === index);
    while (!done(commands)) {
      const { diver, logbookId } = mine[Math.floor(Math.random() * mine.length)];
      const liked = Math.random() < 0.6;
      commands++;
      const giveUpAt = Date.now() + retryForMs;
      for (;;) {
        const status = await send(diver, logbookId, liked);
        if (status === 202) {
          result.accepted++;
          result.expected.set(`${logbookId}:${diver.id}`, liked);
          break;
        }
        if (Date.now() > giveUpAt) {
          result.abandoned++;
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i)));
  return result;
}

/** Keys with a like row must all be in `expected` (nothing applied that was not accepted). */
export function compareWithModel(rows: Map<string, boolean>, expected: Map<string, boolean>) {
  let lost = 0;
  let unexpected = 0;
  for (const [key, liked] of expected) if ((rows.get(key) ?? false) !== liked) lost++;
  for (const key of rows.keys()) if (!expected.has(key)) unexpected++;
  return { lost, unexpected };
}

/**
 * Waits (up to `timeoutMs`) for Postgres to hold exactly `expected` with consistent counts, and
 * returns what differs at the end either way, with how long the drain took.
 */
export async function settleOnModel(db: pg.Client, logbookIds: number[], expected: Map<string, boolean>, timeoutMs = 60_000) {
  const t0 = Date.now();
  for (;;) {
    const seen = await observe(db, logbookIds);
    const diff = compareWithModel(seen.rows, expected);
    const countsOk = countsMatchRows(seen, logbookIds);
    if ((diff.lost === 0 && diff.unexpected === 0 && countsOk) || Date.now() - t0 > timeoutMs) {
      return { ...diff, countsOk, rows: seen.rows.size, drainMs: Date.now() - t0 };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
