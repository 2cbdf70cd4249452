import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The username's trigram GIN index (`gin_trgm_ops`, an operator class TypeORM cannot name) serves ILIKE '%q%' search.
 */
@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  /** Stored lower-cased; the unique index makes sign-up races end in one row. */
  @Index('users_email_key', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  email: string;

  @Index('users_username_trgm_idx', { type: 'gin' })
  @Column({ type: 'varchar', length: 30 })
  username: string;

  @Column({ type: 'varchar', length: 20 })
  country: string;

  /** argon2id PHC string. Never leaves the service layer. */
  @Column({ type: 'varchar', length: 255, select: false })
  password: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  license: string | null;

  @Column({ type: 'text', nullable: true })
  introduction: string | null;

  @Column({ name: 'profile_image', type: 'varchar', length: 1000, nullable: true })
  profileImage: string | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  @Column({ name: 'last_login', type: 'timestamptz', nullable: true })
  lastLogin: Date | null;

  @CreateDateColumn({ name: 'date_joined', type: 'timestamptz' })
  dateJoined: Date;
}
