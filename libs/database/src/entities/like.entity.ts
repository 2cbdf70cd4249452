import { Column, Entity, ForeignKey, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Logbook } from './logbook.entity.js';
import { User } from './user.entity.js';

/**
 * The latest like state of one user for one logbook, written only by the consumer's batch upsert,
 * which applies a command only when its `version` is newer than the row's (last writer wins).
 * The migration's `likes_deleted` trigger (TypeORM cannot describe triggers) keeps `likes_count` right
 * when a user's deletion cascades to their liked rows.
 */
@Entity({ name: 'likes' })
export class Like {
  @ForeignKey(() => Logbook, { name: 'likes_logbook_id_fkey', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'logbook_id', type: 'bigint' })
  logbookId: number;

  @Index('likes_user_id_idx')
  @ForeignKey(() => User, { name: 'likes_user_id_fkey', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'user_id', type: 'bigint' })
  userId: number;

  @Column('boolean')
  liked: boolean;

  /**
   * A 63-bit time-ordered stamp from the API, compared only inside SQL. Not selected by default:
   * int8 is parsed as a JS number globally, which would round it; read it as `version::text`.
   */
  @Column({ type: 'bigint', select: false })
  version: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
