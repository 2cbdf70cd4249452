import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { appConfig } from '../app.config.js';
import { CachedViewRoutes } from './cached-view.routes.js';
import { ViewCacheInterceptor } from './view-cache.interceptor.js';

/**
 * The view cache for every feature: a handler marked `@CachedView` is cached whatever module it lives
 * in, because the interceptor is registered here, once, for the whole app (and not by one feature that
 * others would silently depend on).
 */
@Module({
  imports: [ConfigModule.forFeature(appConfig)],
  providers: [CachedViewRoutes, { provide: APP_INTERCEPTOR, useClass: ViewCacheInterceptor }],
  exports: [CachedViewRoutes],
})
export class ViewCacheModule {}
