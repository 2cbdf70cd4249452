import { Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { CommunityRecommender } from './community.recommender.js';
import { OpenAiRecommender } from './openai.recommender.js';
import { RecommendationCommandsController } from './recommendation-commands.controller.js';
import { RecommendationWorker } from './recommendation.worker.js';
import { RECOMMENDER } from './recommender.js';
import { recommenderConfig } from './recommender.config.js';
import { SpotReplacementWriter } from './spot-replacement.writer.js';

@Module({
  imports: [ConfigModule.forFeature(recommenderConfig)],
  controllers: [RecommendationCommandsController],
  providers: [
    CommunityRecommender,
    OpenAiRecommender,
    {
      provide: RECOMMENDER,
      inject: [recommenderConfig.KEY, CommunityRecommender, OpenAiRecommender],
      useFactory: (env: ConfigType<typeof recommenderConfig>, community: CommunityRecommender, openai: OpenAiRecommender) =>
        env.RECOMMENDER === 'openai' ? openai : community,
    },
    RecommendationWorker,
    SpotReplacementWriter,
  ],
})
export class RecommendationsModule {}
