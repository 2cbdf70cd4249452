import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { backoffMs, CommandPublisher } from '@app/messaging';
import { passwordResetConfig, type PasswordResetEnv } from './password-reset.config.js';
import { ResetCodeHasher } from './reset-code.hasher.js';

/** Issues running at once; the per-client and per-address limits keep real traffic far below it. */
const MAX_PENDING = 1_000;
/** Tries of a publish while the broker is away: backoff from 0.5 s doubling, about 15 s in all. */
const PUBLISH_ATTEMPTS = 6;

/**
 * Draws a code and queues its mail, off the request's path, for every address alike: the API never
 * looks the address up. The consumer stores the code's hash for the account the address names and
 * mails the code only if there is one (apps/consumer/src/mail). Whatever the API did differently for
 * an account would show, if not in this answer then in the next one it serves: a prober could send
 * an address and time the request that follows. The publish is confirmed by the broker and retried
 * with backoff while the broker is away; a command it never took is logged, and the client's next
 * request issues a new code.
 */
@Injectable()
export class ResetCodeIssuer implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ResetCodeIssuer.name);
  private readonly pending = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
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
    const now = Date.now();
    const command = {
      id: issueId,
      template: 'password-reset' as const,
      to: email,
      code,
      codeHash: this.codes.hash(issueId, code).toString('base64url'),
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.env.PASSWORD_RESET_CODE_TTL_SECONDS * 1_000).toISOString(),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.publisher.publish('mail', command);
        return;
      } catch (err) {
        const waited =
          attempt < PUBLISH_ATTEMPTS &&
          (await sleep(backoffMs(attempt, 250, 8_000), true, { signal: this.stopping.signal }).catch(() => false));
        if (!waited) {
          this.logger.warn(`password reset mail ${issueId} not queued: ${(err as Error).message}`);
          return;
        }
      }
    }
  }
}
