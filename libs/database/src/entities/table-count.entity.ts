import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Exact row counts kept by the counted table's own statement triggers (see the migration), read
 * where a page needs a total: counting the table on every read grows with the table.
 */
@Entity({ name: 'table_counts' })
export class TableCount {
  @PrimaryColumn({ name: 'table_name', type: 'varchar', length: 63 })
  tableName: string;

  @Column({ name: 'row_count', type: 'bigint' })
  rowCount: number;
}
