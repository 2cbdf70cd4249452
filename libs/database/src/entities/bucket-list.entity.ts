import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity.js';

/**
 * The title's trigram GIN indexes (`gin_trgm_ops`, an operator class TypeORM cannot name) serve ILIKE '%q%' search;
 * `bucket_lists_created_idx` is (created_at DESC, id DESC) in the migration (TypeORM cannot say DESC), for its newest matches.
 */
@Entity({ name: 'bucket_lists' })
@Index('bucket_lists_user_idx', ['userId', 'id'])
@Index('bucket_lists_created_idx', ['createdAt', 'id'])
export class BucketList {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  @ForeignKey(() => User, { name: 'bucket_lists_user_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'bigint' })
  userId: number;

  @Index('bucket_lists_title_trgm_idx', { type: 'gin' })
  @Column({ type: 'varchar', length: 100 })
  title: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
