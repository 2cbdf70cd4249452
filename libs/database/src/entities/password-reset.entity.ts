import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { User } from './user.entity.js';

/**
 * The one live password-reset code of an account: a new request replaces it (with a new `issueId`,
 * which is what a verified client's proof is bound to, so an older proof dies with it). Only a keyed
 * hash of the code is stored. The row is deleted when the reset is confirmed.
 */
@Entity({ name: 'password_resets' })
@Check('password_resets_failed_attempts_check', 'failed_attempts >= 0')
export class PasswordReset {
  @PrimaryColumn({ name: 'user_id', type: 'bigint' })
  @ForeignKey(() => User, { name: 'password_resets_user_id_fkey', onDelete: 'CASCADE' })
  userId: number;

  @Column({ name: 'issue_id', type: 'uuid' })
  issueId: string;

  /** HMAC-SHA256 of the issue id and the code under a server key: a stolen table cannot be brute-forced offline. */
  @Column({ name: 'code_hash', type: 'bytea' })
  codeHash: Buffer;

  @Column({ name: 'failed_attempts', type: 'smallint', default: 0 })
  failedAttempts: number;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  /** Set by a correct code: the code is spent, and the proof handed out for this issue may confirm once. */
  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
