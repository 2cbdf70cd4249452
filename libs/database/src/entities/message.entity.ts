import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity.js';

export const MESSAGE_TEMPLATES = ['INVITE', 'LOG_REQUEST', 'SHORT_DM'] as const;
export type MessageTemplate = (typeof MESSAGE_TEMPLATES)[number];

/** A direct message; its receiver is told by a `message` notification written in the same statement. */
@Entity({ name: 'messages' })
@Index('messages_inbox_idx', ['receiverId', 'id'])
@Index('messages_sent_idx', ['senderId', 'id'])
@Check('messages_template_check', `template IN ('INVITE', 'LOG_REQUEST', 'SHORT_DM')`)
@Check('messages_not_self', 'sender_id <> receiver_id')
export class Message {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  @ForeignKey(() => User, { name: 'messages_sender_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'sender_id', type: 'bigint' })
  senderId: number;

  @ForeignKey(() => User, { name: 'messages_receiver_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'receiver_id', type: 'bigint' })
  receiverId: number;

  @Column({ type: 'varchar', length: 20 })
  template: MessageTemplate;

  @Column({ type: 'varchar', length: 200 })
  content: string;

  @Column({ name: 'is_read', type: 'boolean', default: false })
  isRead: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
