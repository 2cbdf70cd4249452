import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../app.config.js';
import { HomeStatsController } from './home-stats.controller.js';
import { HomeStatsService } from './home-stats.service.js';
import { JobsController } from './jobs.controller.js';
import { JobsService } from './jobs.service.js';

/** The home page's rankings and the community job board. */
@Module({
  imports: [ConfigModule.forFeature(appConfig)],
  controllers: [HomeStatsController, JobsController],
  providers: [HomeStatsService, JobsService],
})
export class CommunityModule {}
