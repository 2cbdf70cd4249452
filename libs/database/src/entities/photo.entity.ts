import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const PHOTO_STATUSES = ['pending', 'done', 'failed'] as const;
export type PhotoStatus = (typeof PHOTO_STATUSES)[number];

@Entity({ name: 'photos' })
export class Photo {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

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
