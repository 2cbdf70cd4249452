import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A buddy link, stored once per direction: (a, b) and (b, a) are added and removed together. */
@Entity({ name: 'friends' })
export class Friend {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ name: 'user_id', type: 'bigint' })
  userId: number;

  @Index('friends_friend_idx')
  @Column({ name: 'friend_id', type: 'bigint' })
  friendId: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
