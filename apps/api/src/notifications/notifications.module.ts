import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../app.config.js';
import { notificationsConfig } from './notifications.config.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';
import { NotificationsStreamController } from './notifications-stream.controller.js';
import { NotificationStreams } from './notification.streams.js';
import { StreamTickets } from './stream.tickets.js';

@Module({
  imports: [ConfigModule.forFeature(appConfig), ConfigModule.forFeature(notificationsConfig)],
  controllers: [NotificationsController, NotificationsStreamController],
  providers: [NotificationsService, NotificationStreams, StreamTickets],
  exports: [NotificationsService, NotificationStreams],
})
export class NotificationsModule {}
