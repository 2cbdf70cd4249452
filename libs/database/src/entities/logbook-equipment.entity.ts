import { Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { Equipment } from './equipment.entity.js';
import { Logbook } from './logbook.entity.js';

/** Which equipment a logbook lists; written by hand-written SQL, described here for the schema check. */
@Entity({ name: 'logbook_equipment' })
export class LogbookEquipment {
  @ForeignKey(() => Logbook, { name: 'logbook_equipment_logbook_id_fkey', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'logbook_id', type: 'bigint' })
  logbookId: number;

  @ForeignKey(() => Equipment, { name: 'logbook_equipment_equipment_id_fkey', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'equipment_id', type: 'bigint' })
  equipmentId: number;
}
