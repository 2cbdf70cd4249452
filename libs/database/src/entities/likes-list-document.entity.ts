import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The likes list as one text, one row: written by the consumer's refresher, set NULL by the triggers
 * of everything it shows (migration 1764900000000 says how the two cannot race).
 */
@Entity({ name: 'likes_list_document' })
@Check('likes_list_document_one_row', 'id')
export class LikesListDocument {
  @PrimaryColumn({ type: 'boolean', default: true })
  id: boolean;

  @Column({ type: 'text', nullable: true })
  doc: string | null;
}
