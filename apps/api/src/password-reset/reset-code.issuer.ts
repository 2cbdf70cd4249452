import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { backoffMs, CommandPublisher } from '@app/messaging';
import { passwordResetConfig, type PasswordResetEnv } from './password-reset.config.js';
import { ResetCodeHasher } from './reset-code.hasher.js';

/** A new issue replaces the account's previous one: its code, attempts and any proof earned with it. */
const ISSUE_SQL = `
  INSERT INTO password_resets (user_id, issue_id, code_hash, expires_at)
  SELECT u.id, $2, $3, now() + make_interval(secs => $4) FROM users u WHERE u.email = $1 AND u.is_active
  ON CONFLICT (user_id) DO UPDATE
     SET issue_id = EXCLUDED.issue_id, code_hash = EXCLUDED.code_hash, expires_at = EXCLUDED.expires_at,
         failed_attempts = 0, verified_at = NULL, created_at = now()
  RETURNING user_id, expires_at`;

/** Issues running at once; the per-client and per-address limits keep real traffic far below it. */
const MAX_PENDING = 1_000;
/** Tries of a publish while the broker is away: backoff from 0.5 s doubling, about 15 s in all. */
const PUBLISH_ATTEMPTS = 6;

/**
 * Issues a code and queues its mail, off the request's path: the API answers a reset request before
 * it even looks the address up, so the answer and its timing are the same whether or not the address
 * has an account (the lookup, the insert and the broker's confirm happen after the reply is sent, and
 * only for an account is a mail command published). The publish is confirmed by the broker and
 * retried with backoff while the broker is away; a command it never took is logged, and the client's
 * next request issues a new code.
 */
@Injectable()
export class ResetCodeIssuer implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ResetCodeIssuer.name);
  private readonly pending = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly codes: ResetCodeHasher,
    private readonly publisher: CommandPublisher,
    @Inject(passwordResetConfig.KEY) private readonly env: PasswordResetEnv,
  ) {}

  /** Starts the issue for `email` once the current reply is on its way, and returns at once. */
  schedule(email: string): void {
    if (this.pending.size >= MAX_PENDING) {
      this.logger.warn('password reset not issued: too many issues in flight');
      return;
    }
    const work = new Promise<void>((started) => setImmediate(started)).then(() => this.issue(email));
    const tracked = work.catch((err: unknown) => this.logger.error(`password reset not issued: ${(err as Error).message}`));
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  /**
   * Shutdown waits for issues in flight, so an accepted request is not dropped by a deploy; one that
   * is waiting out a broker outage gives up its remaining tries rather than hold the process.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled(this.pending);
  }

  private async issue(email: string): Promise<void> {
    const issueId = randomUUID();
    const code = this.codes.newCode();
    const rows: Array<{ user_id: number; expires_at: Date }> = await this.db.query(ISSUE_SQL, [
      email,
      issueId,
      this.codes.hash(issueId, code),
      this.env.PASSWORD_RESET_CODE_TTL_SECONDS,
    ]);
    if (!rows.length) return; // no such account: nothing is stored and no mail is sent
    const command = { id: issueId, template: 'password-reset' as const, to: email, code, expiresAt: rows[0].expires_at.toISOString() };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.publisher.publish('mail', command);
        return;
      } catch (err) {
        const waited =
          attempt < PUBLISH_ATTEMPTS &&
          (await sleep(backoffMs(attempt, 250, 8_000), true, { signal: this.stopping.signal }).catch(() => false));
        if (!waited) {
          this.logger.warn(`password reset mail ${issueId} of user ${rows[0].user_id} not queued: ${(err as Error).message}`);
          return;
        }
      }
    }
  }
}
