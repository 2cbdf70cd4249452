import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DiveCenter } from './dive-center.entity.js';
import { oneOf } from './one-of.js';
import { User } from './user.entity.js';

export const WEATHERS = ['sunny', 'cloudy', 'rainy', 'stormy'] as const;
export const DIVE_TYPES = ['fun', 'training', 'night', 'deep', 'wreck'] as const;

/**
 * A dive. `likes_count` is maintained by the consumer from the like rows it flips, never by the API.
 * The feed indexes are (…, dive_date DESC, id DESC) and search's (created_at DESC, id DESC) in the
 * migrations: TypeORM cannot say DESC. The
 * CHECK names are the ones Postgres gave the migration's column checks; the one on two columns got
 * the bare `logbooks_check`. The text columns' trigram GIN indexes (`gin_trgm_ops`, an operator class TypeORM cannot name) serve ILIKE '%q%' search.
 */
@Entity({ name: 'logbooks' })
@Index('logbooks_feed_idx', ['diveDate', 'id'])
@Index('logbooks_user_feed_idx', ['userId', 'diveDate', 'id'])
@Index('logbooks_created_idx', ['createdAt', 'id'])
@Check('logbooks_max_depth_check', 'max_depth >= 0')
@Check('logbooks_bottom_time_seconds_check', 'bottom_time_seconds >= 60')
@Check('logbooks_weather_check', oneOf('weather', WEATHERS))
@Check('logbooks_type_of_dive_check', oneOf('type_of_dive', DIVE_TYPES))
@Check('logbooks_weight_check', 'weight >= 0')
@Check('logbooks_start_pressure_check', 'start_pressure >= 0')
@Check('logbooks_check', 'end_pressure >= 0 AND end_pressure <= start_pressure')
@Check('logbooks_latitude_check', 'latitude BETWEEN -90 AND 90')
@Check('logbooks_longitude_check', 'longitude BETWEEN -180 AND 180')
@Check('logbooks_likes_count_check', 'likes_count >= 0')
export class Logbook {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  @ForeignKey(() => User, { name: 'logbooks_user_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'bigint' })
  userId: number;

  /** Storage key of the uploaded image (served under /media/); the URL is built per request. */
  @Column({ name: 'dive_image', type: 'varchar', length: 1000, nullable: true })
  diveImage: string | null;

  @Column({ name: 'dive_image_url', type: 'varchar', length: 1000, nullable: true })
  diveImageUrl: string | null;

  @Index('logbooks_feeling_trgm_idx', { type: 'gin' })
  @Column({ type: 'text', nullable: true })
  feeling: string | null;

  @Column({ type: 'text', nullable: true })
  buddy: string | null;

  @Index('logbooks_dive_title_trgm_idx', { type: 'gin' })
  @Column({ name: 'dive_title', type: 'varchar', length: 256 })
  diveTitle: string;

  @Index('logbooks_dive_site_trgm_idx', { type: 'gin' })
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

  @ForeignKey(() => DiveCenter, { name: 'logbooks_dive_center_id_fkey', onDelete: 'SET NULL' })
  @Column({ name: 'dive_center_id', type: 'bigint', nullable: true })
  diveCenterId: number | null;

  @Column({ name: 'likes_count', type: 'integer', default: 0 })
  likesCount: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
