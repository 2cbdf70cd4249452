import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../app.config.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PhotoEventsListener } from './photo-events.listener.js';
import { PhotoStreamEvents } from './photo-stream.events.js';
import { PhotosController } from './photos.controller.js';
import { PhotosService } from './photos.service.js';
import { UploadsController } from './uploads.controller.js';

@Module({
  imports: [ConfigModule.forFeature(appConfig), NotificationsModule],
  controllers: [PhotosController, UploadsController],
  providers: [PhotosService, PhotoEventsListener, PhotoStreamEvents],
})
export class FishModule {}
