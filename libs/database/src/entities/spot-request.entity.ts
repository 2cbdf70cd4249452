import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { oneOf } from './one-of.js';
import { User } from './user.entity.js';

export const SPOT_REQUEST_STATUSES = ['pending', 'done', 'failed'] as const;
export type SpotRequestStatus = (typeof SPOT_REQUEST_STATUSES)[number];

/**
 * A diver's latest recommendation request. `command_id` names the one command allowed to finish it:
 * a stale or repeated command finds another id (or a status other than pending) and changes nothing.
 */
@Entity({ name: 'spot_requests' })
@Check('spot_requests_status_check', oneOf('status', SPOT_REQUEST_STATUSES))
export class SpotRequest {
  @ForeignKey(() => User, { name: 'spot_requests_user_id_fkey', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'user_id', type: 'bigint' })
  userId: number;

  @Column({ name: 'command_id', type: 'varchar', length: 64 })
  commandId: string;

  @Column({ type: 'varchar', length: 16 })
  status: SpotRequestStatus;

  /** Why the last request ended without new spots; our own words, never an upstream body. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @Column({ name: 'requested_at', type: 'timestamptz', default: () => 'now()' })
  requestedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
