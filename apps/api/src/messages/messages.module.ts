import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../app.config.js';
import { messagesConfig } from './messages.config.js';
import { MessagesController } from './messages.controller.js';
import { MessagesService } from './messages.service.js';

@Module({
  imports: [ConfigModule.forFeature(appConfig), ConfigModule.forFeature(messagesConfig)],
  controllers: [MessagesController],
  providers: [MessagesService],
})
export class MessagesModule {}
