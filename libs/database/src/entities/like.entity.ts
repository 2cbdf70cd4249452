import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The latest like state of one user for one logbook, written only by the consumer's batch upsert,
 * which applies a command only when its `version` is newer than the row's (last writer wins).
 */
@Entity({ name: 'likes' })
export class Like {
  @PrimaryColumn({ name: 'logbook_id', type: 'bigint' })
  logbookId: number;

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
