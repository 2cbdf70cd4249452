import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Managed by operators (the original's admin); logbooks reference one by id. */
@Entity({ name: 'dive_centers' })
export class DiveCenter {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'varchar', length: 256 })
  name: string;
}
