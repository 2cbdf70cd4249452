import { Module, RequestMethod } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { CacheModule } from '@app/cache';
import { DatabaseModule } from '@app/database';
import { MessagingModule } from '@app/messaging';
import { StorageModule } from '@app/storage';
import { appConfig } from './app.config.js';
import { AuthModule } from './auth/auth.module.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { ViewCacheModule } from './common/view-cache.module.js';
import { HealthModule } from './health/health.module.js';
import { LimitsModule } from './limits/limits.module.js';
import { LogbookModule } from './logbook/logbook.module.js';
import { FishModule } from './fish/fish.module.js';
import { CommunityModule } from './community/community.module.js';
import { MessagesModule } from './messages/messages.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { MypageModule } from './mypage/mypage.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { PasswordResetModule } from './password-reset/password-reset.module.js';
import { PreferencesModule } from './preferences/preferences.module.js';
import { RecommendModule } from './recommend/recommend.module.js';
import { SearchModule } from './search/search.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({ ignoreEnvFile: true }),
    LoggerModule.forRootAsync({
      imports: [ConfigModule.forFeature(appConfig)],
      inject: [appConfig.KEY],
      useFactory: (env: ConfigType<typeof appConfig>) => ({
        // nestjs-pino's default route pattern does not match under Nest 12's Fastify middleware.
        forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
        pinoHttp: {
          level: env.LOG_LEVEL,
          // The request id is Fastify's (see app.factory.ts); pino-http picks up `req.id`.
          redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          // A line per request only for what needs a look: 5xx at error, 4xx at warn. Successes are
          // counted by route, status and latency in /metrics; their lines (debug) cost as much CPU
          // as serving a cached view, so they appear only at LOG_LEVEL=debug.
          customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
          // The per-request logger carries the request id only: binding the whole request serialized
          // (and redacted) it on every request, logged or not. The completion line still has it all.
          quietReqLogger: true,
        },
      }),
    }),
    DatabaseModule,
    CacheModule,
    MessagingModule,
    StorageModule,
    ViewCacheModule,
    LimitsModule,
    AuthModule,
    LogbookModule,
    FishModule,
    MypageModule,
    CommunityModule,
    SearchModule,
    PreferencesModule,
    RecommendModule,
    NotificationsModule,
    MessagesModule,
    PasswordResetModule,
    HealthModule,
    MetricsModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
})
export class AppModule {}
