import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../app.config.js';
import { SearchController } from './search.controller.js';
import { SearchService } from './search.service.js';

@Module({
  imports: [ConfigModule.forFeature(appConfig)],
  controllers: [SearchController],
  providers: [SearchService],
})
export class SearchModule {}
