import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { consumerConfig } from '../consumer.config.js';
import { LikeBatchFlusher } from './like-batch.flusher.js';
import { LikeBatchWriter } from './like-batch.writer.js';
import { LikesController } from './likes.controller.js';

@Module({
  imports: [ConfigModule.forFeature(consumerConfig)],
  controllers: [LikesController],
  providers: [LikeBatchFlusher, LikeBatchWriter],
  exports: [LikeBatchFlusher],
})
export class LikesModule {}
