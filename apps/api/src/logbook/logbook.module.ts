import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { appConfig } from '../app.config.js';
import { CachedViewRoutes } from '../common/cached-view.routes.js';
import { ViewCacheInterceptor } from '../common/view-cache.interceptor.js';
import { CommentsController } from './comments.controller.js';
import { CommentsService } from './comments.service.js';
import { LikeStateCache } from './like-state.cache.js';
import { LikesController } from './likes.controller.js';
import { LikesService } from './likes.service.js';
import { LogbooksController } from './logbooks.controller.js';
import { LogbooksService } from './logbooks.service.js';

// LikesController first: its static `likes/` must not be read as an `:id`.
@Module({
  imports: [ConfigModule.forFeature(appConfig)],
  controllers: [LikesController, CommentsController, LogbooksController],
  providers: [
    LogbooksService,
    LikesService,
    LikeStateCache,
    CachedViewRoutes,
    CommentsService,
    { provide: APP_INTERCEPTOR, useClass: ViewCacheInterceptor },
  ],
})
export class LogbookModule {}
