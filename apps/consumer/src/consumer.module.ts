import { Module, RequestMethod } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { CacheModule } from '@app/cache';
import { DatabaseModule } from '@app/database';
import { AmqpModule } from '@app/messaging';
import { StorageModule } from '@app/storage';
import { consumerConfig } from './consumer.config.js';
import { ConsumerStateModule } from './consumer.state.js';
import { DeliveriesModule } from './deliveries/deliveries.module.js';
import { ReadinessController } from './health/readiness.controller.js';
import { LikesModule } from './likes/likes.module.js';
import { ConsumerMetricsModule } from './metrics/metrics.module.js';
import { MailModule } from './mail/mail.module.js';
import { RecognitionsModule } from './recognitions/recognitions.module.js';
import { RecommendationsModule } from './recommendations/recommendations.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({ ignoreEnvFile: true }),
    ConfigModule.forFeature(consumerConfig),
    LoggerModule.forRootAsync({
      imports: [ConfigModule.forFeature(consumerConfig)],
      inject: [consumerConfig.KEY],
      useFactory: (env: ConfigType<typeof consumerConfig>) => ({
        forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
        // Readiness probes every few seconds would drown the log.
        pinoHttp: { level: env.LOG_LEVEL, autoLogging: false },
      }),
    }),
    DatabaseModule,
    CacheModule,
    AmqpModule,
    StorageModule,
    ConsumerStateModule,
    DeliveriesModule,
    LikesModule,
    RecognitionsModule,
    RecommendationsModule,
    ConsumerMetricsModule,
    MailModule,
  ],
  controllers: [ReadinessController],
})
export class ConsumerModule {}
