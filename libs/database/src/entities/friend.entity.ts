import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity.js';

/** A buddy link, stored once per direction: (a, b) and (b, a) are added and removed together. */
@Entity({ name: 'friends' })
@Index('friends_pair_key', ['userId', 'friendId'], { unique: true })
@Check('friends_not_self', 'user_id <> friend_id')
export class Friend {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  @ForeignKey(() => User, { name: 'friends_user_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'bigint' })
  userId: number;

  @Index('friends_friend_idx')
  @ForeignKey(() => User, { name: 'friends_friend_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'friend_id', type: 'bigint' })
  friendId: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
