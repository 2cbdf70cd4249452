import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { validateEnv } from '@app/config';

export class NotificationsEnv {
  /** Read notifications older than this many days are deleted; unread ones are kept whatever their age. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  NOTIFICATION_RETENTION_DAYS = 90;

  /** Live streams one user may hold open on one API process; one more is refused with 429. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  NOTIFICATION_STREAMS_PER_USER = 5;

  /** A comment line on every open stream this often, well inside proxies' and our socket's idle timeouts. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  NOTIFICATION_HEARTBEAT_MS = 15_000;
}

export const notificationsConfig = registerAs('notifications', () => validateEnv(NotificationsEnv));
