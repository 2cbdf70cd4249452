import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Logbook } from './logbook.entity.js';
import { User } from './user.entity.js';

/**
 * The text's trigram GIN indexes (`gin_trgm_ops`, an operator class TypeORM cannot name) serve ILIKE '%q%' search;
 * `comments_created_idx` is (created_at DESC, id DESC) in the migration (TypeORM cannot say DESC), for its newest matches.
 */
@Entity({ name: 'comments' })
@Index('comments_logbook_idx', ['logbookId', 'id'])
@Index('comments_created_idx', ['createdAt', 'id'])
export class Comment {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  @ForeignKey(() => Logbook, { name: 'comments_logbook_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'logbook_id', type: 'bigint' })
  logbookId: number;

  @Index('comments_author_idx')
  @ForeignKey(() => User, { name: 'comments_author_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'author_id', type: 'bigint' })
  authorId: number;

  @Index('comments_text_trgm_idx', { type: 'gin' })
  @Column('text')
  text: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
