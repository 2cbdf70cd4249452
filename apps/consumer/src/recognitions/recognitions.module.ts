import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { FishialModule } from '@app/fishial';
import { consumerConfig } from '../consumer.config.js';
import { RecognitionResultWriter } from './recognition-result.writer.js';
import { RecognitionWorker } from './recognition.worker.js';
import { RecognitionCommandsController } from './recognition-commands.controller.js';

@Module({
  imports: [ConfigModule.forFeature(consumerConfig), FishialModule],
  controllers: [RecognitionCommandsController],
  providers: [RecognitionWorker, RecognitionResultWriter],
})
export class RecognitionsModule {}
