import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from './user.entity.js';

/** The survey's answer columns, in their order; the API's field names are these column names. */
export const SURVEY_ANSWERS = [
  'birthday',
  'residence',
  'budget_min',
  'budget_max',
  'gender',
  'preferred_depth_range',
  'hobbies',
  'preferred_activities',
  'preferred_atmosphere',
  'last_dive_date',
  'preferred_diving',
] as const;

/** The preferences survey: one row per diver, free-text answers as the original client sends them. */
@Entity({ name: 'preferences' })
export class Preferences {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  @Index('preferences_user_key', { unique: true })
  @ForeignKey(() => User, { name: 'preferences_user_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'bigint' })
  userId: number;

  @Column({ type: 'varchar', length: 20, default: '' })
  birthday: string;

  @Column({ type: 'varchar', length: 30, nullable: true })
  residence: string | null;

  @Column({ name: 'budget_min', type: 'varchar', length: 30, nullable: true })
  budgetMin: string | null;

  @Column({ name: 'budget_max', type: 'varchar', length: 30, nullable: true })
  budgetMax: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  gender: string | null;

  @Column({ name: 'preferred_depth_range', type: 'varchar', length: 20, nullable: true })
  preferredDepthRange: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  hobbies: string | null;

  @Column({ name: 'preferred_activities', type: 'varchar', length: 100, nullable: true })
  preferredActivities: string | null;

  @Column({ name: 'preferred_atmosphere', type: 'varchar', length: 100, nullable: true })
  preferredAtmosphere: string | null;

  @Column({ name: 'last_dive_date', type: 'varchar', length: 20, nullable: true })
  lastDiveDate: string | null;

  @Column({ name: 'preferred_diving', type: 'varchar', length: 100, nullable: true })
  preferredDiving: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
