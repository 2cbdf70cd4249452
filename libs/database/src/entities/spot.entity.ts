import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity.js';

/** A recommended dive spot; a diver's three are replaced together, in the transaction that stores the next three. */
@Entity({ name: 'spots' })
@Index('spots_user_idx', ['userId', 'id'])
export class Spot {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  @ForeignKey(() => User, { name: 'spots_user_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'bigint' })
  userId: number;

  @Column({ type: 'varchar', length: 120 })
  region: string;

  @Column({ type: 'varchar', length: 120 })
  country: string;

  @Column({ type: 'varchar', length: 1000 })
  intro: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
