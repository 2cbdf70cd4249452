import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Logbook } from './logbook.entity.js';
import { Message } from './message.entity.js';
import { User } from './user.entity.js';

/**
 * One notification for `userId` (the recipient) about what `actorId` did. Like notifications are
 * unique per (actor, logbook): however often a like flips, its owner hears of it once.
 */
@Entity({ name: 'notifications' })
@Index('notifications_user_idx', ['userId', 'id'])
@Index('notifications_like_key', ['actorId', 'logbookId'], { unique: true, where: `type = 'like'` })
@Check('notifications_type_check', `type IN ('like', 'comment', 'friend', 'message')`)
export class Notification {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  @ForeignKey(() => User, { name: 'notifications_user_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'bigint' })
  userId: number;

  @Column({ type: 'varchar', length: 10 })
  type: 'like' | 'comment' | 'friend' | 'message';

  @Index('notifications_actor_idx')
  @ForeignKey(() => User, { name: 'notifications_actor_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'actor_id', type: 'bigint' })
  actorId: number;

  @Index('notifications_logbook_idx')
  @ForeignKey(() => Logbook, { name: 'notifications_logbook_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'logbook_id', type: 'bigint', nullable: true })
  logbookId: number | null;

  @Index('notifications_message_idx')
  @ForeignKey(() => Message, { name: 'notifications_message_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'message_id', type: 'bigint', nullable: true })
  messageId: number | null;

  @Column({ name: 'is_read', type: 'boolean', default: false })
  isRead: boolean;

  @Index('notifications_read_idx', { where: 'is_read' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
