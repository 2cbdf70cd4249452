import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { recommendConfig } from './recommend.config.js';
import { RecommendationEventsListener } from './recommendation-events.listener.js';
import { SpotsController } from './spots.controller.js';
import { SpotsService } from './spots.service.js';

@Module({
  imports: [ConfigModule.forFeature(recommendConfig)],
  controllers: [SpotsController],
  providers: [SpotsService, RecommendationEventsListener],
})
export class RecommendModule {}
