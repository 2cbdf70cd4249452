import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { consumerConfig } from '../consumer.config.js';
import { LikeBatchFlusher } from './like-batch.flusher.js';
import { LikeBatchWriter } from './like-batch.writer.js';
import { LikeCommandsController } from './like-commands.controller.js';
import { LikersRefresher } from './likers.refresher.js';

@Module({
  imports: [ConfigModule.forFeature(consumerConfig)],
  controllers: [LikeCommandsController],
  providers: [LikeBatchFlusher, LikeBatchWriter, LikersRefresher],
})
export class LikesModule {}
