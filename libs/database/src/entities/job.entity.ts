import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity.js';

/**
 * A post on the community board (dive jobs, trips looking for buddies). `jobs_feed_idx` is
 * (created_at DESC, id DESC) in the migration: TypeORM cannot say DESC. The text columns'
 * trigram GIN indexes (`gin_trgm_ops`, an operator class TypeORM cannot name) serve ILIKE '%q%' search.
 */
@Entity({ name: 'jobs' })
@Index('jobs_feed_idx', ['createdAt', 'id'])
export class Job {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  @Index('jobs_user_idx')
  @ForeignKey(() => User, { name: 'jobs_user_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'bigint' })
  userId: number;

  @Index('jobs_title_trgm_idx', { type: 'gin' })
  @Column({ type: 'varchar', length: 100 })
  title: string;

  @Index('jobs_location_trgm_idx', { type: 'gin' })
  @Column({ type: 'varchar', length: 100, nullable: true })
  location: string | null;

  @Index('jobs_description_trgm_idx', { type: 'gin' })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
