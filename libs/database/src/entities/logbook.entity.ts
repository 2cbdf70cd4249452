import { Column, CreateDateColumn, Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Equipment } from './equipment.entity.js';

export const WEATHERS = ['sunny', 'cloudy', 'rainy', 'stormy'] as const;
export const DIVE_TYPES = ['fun', 'training', 'night', 'deep', 'wreck'] as const;

/** A dive. `likes_count` is maintained by the consumer from the like rows it flips, never by the API. */
@Entity({ name: 'logbooks' })
export class Logbook {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ name: 'user_id', type: 'bigint' })
  userId: number;

  /** Storage key of the uploaded image (served under /media/); the URL is built per request. */
  @Column({ name: 'dive_image', type: 'varchar', length: 1000, nullable: true })
  diveImage: string | null;

  @Column({ name: 'dive_image_url', type: 'varchar', length: 1000, nullable: true })
  diveImageUrl: string | null;

  @Column({ type: 'text', nullable: true })
  feeling: string | null;

  @Column({ type: 'text', nullable: true })
  buddy: string | null;

  @Column({ name: 'dive_title', type: 'varchar', length: 256 })
  diveTitle: string;

  @Column({ name: 'dive_site', type: 'varchar', length: 256 })
  diveSite: string;

  @Column({ name: 'dive_date', type: 'date' })
  diveDate: string;

  @Column({ name: 'max_depth', type: 'double precision' })
  maxDepth: number;

  @Column({ name: 'bottom_time_seconds', type: 'integer' })
  bottomTimeSeconds: number;

  @Column({ type: 'varchar', length: 100, nullable: true })
  weather: string | null;

  @Column({ name: 'type_of_dive', type: 'varchar', length: 256, nullable: true })
  typeOfDive: string | null;

  @Column({ type: 'smallint' })
  weight: number;

  @Column({ name: 'start_pressure', type: 'smallint' })
  startPressure: number;

  @Column({ name: 'end_pressure', type: 'smallint' })
  endPressure: number;

  @Column({ type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude: number | null;

  @Column({ name: 'dive_center_id', type: 'bigint', nullable: true })
  diveCenterId: number | null;

  @Column({ name: 'likes_count', type: 'integer', default: 0 })
  likesCount: number;

  @ManyToMany(() => Equipment)
  @JoinTable({ name: 'logbook_equipment', joinColumn: { name: 'logbook_id' }, inverseJoinColumn: { name: 'equipment_id' } })
  equipment: Equipment[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
