import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../../app.config.js';
import { BucketListsController } from './bucket-lists.controller.js';
import { BucketListsService } from './bucket-lists.service.js';

@Module({
  imports: [ConfigModule.forFeature(appConfig)],
  controllers: [BucketListsController],
  providers: [BucketListsService],
})
export class BucketListsModule {}
