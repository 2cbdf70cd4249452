import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per refresh token ever issued: logout revokes a row (the original's blacklist), and with
 * rotation on, presenting a revoked token of a family revokes the whole family (reuse detection).
 */
@Entity({ name: 'refresh_tokens' })
export class RefreshToken {
  @PrimaryColumn('uuid')
  jti: string;

  @Index('refresh_tokens_user_id_idx')
  @Column({ name: 'user_id', type: 'bigint' })
  userId: number;

  @Index('refresh_tokens_family_idx')
  @Column('uuid')
  family: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
