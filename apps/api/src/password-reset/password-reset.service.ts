import { BadRequestException, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../auth/password.hasher.js';
import { UsersService } from '../users/users.service.js';
import { passwordResetConfig, type PasswordResetEnv } from './password-reset.config.js';
import { PasswordResetLimiter } from './password-reset.limiter.js';
import { ResetCodeHasher } from './reset-code.hasher.js';
import { ResetCodeIssuer } from './reset-code.issuer.js';
import type { ResetProof } from './reset-proof.cookie.js';

/** Error bodies carry `message`, the field the client shows, beside DRF's `detail`. */
const said = (text: string) => ({ detail: text, message: text });
/** One answer for an unknown address, no code, an expired, spent or dead one and a wrong one: none tells which. */
const badCode = () => new BadRequestException(said('Invalid or expired code.'));
const noProof = () => new ForbiddenException(said('Verify the code from the e-mail first.'));

interface ResetRow {
  user_id: number;
  issue_id: string;
  code_hash: Buffer;
  failed_attempts: number;
  live: boolean;
}

/** The account's live code, locked so that concurrent guesses are counted one after another. */
const LOCK_SQL = `
  SELECT r.user_id, r.issue_id, r.code_hash, r.failed_attempts,
         (r.expires_at > now() AND r.verified_at IS NULL) AS live
    FROM password_resets r JOIN users u ON u.id = r.user_id
   WHERE u.email = $1 AND u.is_active
     FOR UPDATE OF r`;

/**
 * Spends the proof: only the issue it was earned for, once verified, and only once. A SELECT around
 * the DELETE, because TypeORM answers a bare DELETE with `[rows, count]` rather than the rows.
 */
const CONSUME_SQL = `
  WITH spent AS (
    DELETE FROM password_resets r USING users u
     WHERE r.user_id = $1 AND r.issue_id = $2 AND r.verified_at IS NOT NULL
       AND u.id = r.user_id AND u.email = $3 AND u.is_active
    RETURNING r.user_id)
  SELECT user_id FROM spent`;

@Injectable()
export class PasswordResetService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly limiter: PasswordResetLimiter,
    private readonly issuer: ResetCodeIssuer,
    private readonly codes: ResetCodeHasher,
    private readonly hasher: PasswordHasher,
    private readonly users: UsersService,
    @Inject(passwordResetConfig.KEY) private readonly env: PasswordResetEnv,
  ) {}

  /** Counted, then answered: whether the address has an account is decided by the consumer, never here (ResetCodeIssuer). */
  async request(email: string, ip: string): Promise<void> {
    await this.limiter.admitRequest(ip, email);
    this.issuer.schedule(email);
  }

  /** A correct, live code is spent and earns a proof of its issue; a wrong one counts towards its death. */
  async verify(email: string, code: string, ip: string): Promise<ResetProof> {
    await this.limiter.admitCheck(ip);
    return this.db
      .transaction(async (m) => {
        const [row]: ResetRow[] = await m.query(LOCK_SQL, [email]);
        if (!row?.live || row.failed_attempts >= this.env.PASSWORD_RESET_MAX_ATTEMPTS) throw badCode();
        if (!this.codes.matches(row.issue_id, code, row.code_hash)) {
          await m.query('UPDATE password_resets SET failed_attempts = failed_attempts + 1 WHERE user_id = $1', [row.user_id]);
          // Thrown from inside would roll the count back: the failure is returned and thrown after the commit.
          return undefined;
        }
        await m.query('UPDATE password_resets SET verified_at = now() WHERE user_id = $1', [row.user_id]);
        return { userId: row.user_id, issueId: row.issue_id };
      })
      .then((proof) => proof ?? Promise.reject(badCode()));
  }

  /**
   * Sets the new password for the account the proof was earned for (and that `email` names), spends
   * the proof, and revokes every refresh token of the account in the same transaction; then the
   * guard's cached copy of the user is dropped, as after any change to a user.
   */
  async confirm(email: string, password: string, proof: ResetProof | undefined, ip: string): Promise<void> {
    await this.limiter.admitCheck(ip);
    if (!proof) throw noProof();
    // Hashed before the transaction: argon2's tens of milliseconds are not spent holding row locks.
    const hash = await this.hasher.hash(password);
    const done = await this.db.transaction(async (m) => {
      const consumed: unknown[] = await m.query(CONSUME_SQL, [proof.userId, proof.issueId, email]);
      if (!consumed.length) return false;
      await m.query('UPDATE users SET password = $2 WHERE id = $1', [proof.userId, hash]);
      await m.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [proof.userId]);
      return true;
    });
    if (!done) throw noProof();
    await this.users.evict(proof.userId);
  }
}
