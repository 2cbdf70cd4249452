import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MailCommand } from '@app/messaging';

/**
 * Stores the request's code for the account the address names, replacing the account's older issue
 * with its attempts and proof; a request issued before the stored one (sent concurrently, or
 * redelivered after a newer one) replaces nothing. The second branch reads the statement's snapshot:
 * it answers a redelivery of the very issue already stored, still unverified, so its mail is sent.
 */
const RECORD_SQL = `
  WITH account AS (SELECT id FROM users WHERE email = $1 AND is_active),
  issued AS (
    INSERT INTO password_resets (user_id, issue_id, code_hash, expires_at, created_at)
    SELECT id, $2, $3, $4, $5 FROM account
    ON CONFLICT (user_id) DO UPDATE
       SET issue_id = EXCLUDED.issue_id, code_hash = EXCLUDED.code_hash, expires_at = EXCLUDED.expires_at,
           failed_attempts = 0, verified_at = NULL, created_at = EXCLUDED.created_at
     WHERE password_resets.created_at < EXCLUDED.created_at
    RETURNING user_id)
  SELECT user_id FROM issued
  UNION ALL
  SELECT r.user_id FROM password_resets r JOIN account a ON a.id = r.user_id
   WHERE r.issue_id = $2 AND r.verified_at IS NULL`;

/** The consumer's half of a reset request: the API publishes one for every address without looking it up. */
@Injectable()
export class ResetCodeRecorder {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether the code is now the account's live one and worth mailing: false for an address without an account. */
  async record(command: MailCommand): Promise<boolean> {
    const rows: unknown[] = await this.db.query(RECORD_SQL, [
      command.to,
      command.id,
      Buffer.from(command.codeHash, 'base64url'),
      command.expiresAt,
      command.issuedAt,
    ]);
    return rows.length > 0;
  }
}
