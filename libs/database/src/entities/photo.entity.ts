import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { oneOf } from './one-of.js';
import { User } from './user.entity.js';

export const PHOTO_STATUSES = ['pending', 'done', 'failed'] as const;
export type PhotoStatus = (typeof PHOTO_STATUSES)[number];

/** `photos_user_idx` is (user_id, uploaded_at DESC, id DESC) in the migration: TypeORM cannot say DESC. */
@Entity({ name: 'photos' })
@Index('photos_user_idx', ['userId', 'uploadedAt', 'id'])
@Check('photos_status_check', oneOf('status', PHOTO_STATUSES))
export class Photo {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  @ForeignKey(() => User, { name: 'photos_user_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'bigint' })
  userId: number;

  @Column({ type: 'varchar', length: 100 })
  title: string;

  @Index('photos_storage_key_key', { unique: true })
  @Column({ name: 'storage_key', type: 'varchar', length: 1000 })
  storageKey: string;

  @CreateDateColumn({ name: 'uploaded_at', type: 'timestamptz' })
  uploadedAt: Date;

  @Column({ type: 'varchar', length: 16, nullable: true })
  status: PhotoStatus | null;

  @Column({ name: 'classified_as', type: 'varchar', length: 255, nullable: true })
  classifiedAs: string | null;

  @Column({ type: 'jsonb', nullable: true })
  species: unknown;

  @Column({ name: 'fishial_result', type: 'jsonb', nullable: true })
  fishialResult: unknown;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** When the last recognition was queued: a `pending` photo is re-sent only once this is stale. */
  @Column({ name: 'requested_at', type: 'timestamptz', nullable: true })
  requestedAt: Date | null;

  @Column({ name: 'classified_at', type: 'timestamptz', nullable: true })
  classifiedAt: Date | null;
}
