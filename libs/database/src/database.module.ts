import { Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseConfig } from './database.config.js';
import { dataSourceOptions } from './data-source.options.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [ConfigModule.forFeature(databaseConfig)],
      inject: [databaseConfig.KEY],
      useFactory: (env: ConfigType<typeof databaseConfig>) => ({
        ...dataSourceOptions(env),
        // At boot, wait for Postgres (a compose stack starts everything at once); once connected,
        // the pool reconnects per query and readiness reports an outage.
        retryAttempts: 10,
        retryDelay: 1_000,
      }),
    }),
  ],
})
export class DatabaseModule {}
