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
}

export const notificationsConfig = registerAs('notifications', () => validateEnv(NotificationsEnv));
