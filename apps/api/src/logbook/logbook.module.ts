import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../app.config.js';
import { CommentsController } from './comments.controller.js';
import { CommentsService } from './comments.service.js';
import { LikeCommandGatherer } from './like-command.gatherer.js';
import { LikeStateCache } from './like-state.cache.js';
import { LikesController } from './likes.controller.js';
import { LikesService } from './likes.service.js';
import { LogbooksController } from './logbooks.controller.js';
import { LogbooksService } from './logbooks.service.js';

// LikesController first: its static `likes/` must not be read as an `:id`.
@Module({
  imports: [ConfigModule.forFeature(appConfig)],
  controllers: [LikesController, CommentsController, LogbooksController],
  providers: [LogbooksService, LikesService, LikeCommandGatherer, LikeStateCache, CommentsService],
})
export class LogbookModule {}
