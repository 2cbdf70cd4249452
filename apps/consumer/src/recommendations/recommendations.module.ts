import { Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { CommunityRecommender } from './community.recommender.js';
import { RecommendationCommandsController } from './recommendation-commands.controller.js';
import { RecommendationWorker } from './recommendation.worker.js';
import { RECOMMENDER, type Recommender } from './recommender.js';
import { recommenderConfig } from './recommender.config.js';
import { SpotReplacementWriter } from './spot-replacement.writer.js';

@Module({
  imports: [ConfigModule.forFeature(recommenderConfig)],
  controllers: [RecommendationCommandsController],
  providers: [
    CommunityRecommender,
    {
      provide: RECOMMENDER,
      inject: [recommenderConfig.KEY, CommunityRecommender],
      useFactory: async (env: ConfigType<typeof recommenderConfig>, community: CommunityRecommender): Promise<Recommender> => {
        if (env.RECOMMENDER !== 'openai') return community;
        // Loaded only when chosen: the client is a large module (seconds to import on a busy host)
        // that the default recommender never needs.
        const { OpenAiRecommender } = await import('./openai.recommender.js');
        return new OpenAiRecommender(env);
      },
    },
    RecommendationWorker,
    SpotReplacementWriter,
  ],
})
export class RecommendationsModule {}
