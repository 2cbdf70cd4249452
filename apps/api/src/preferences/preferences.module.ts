import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../app.config.js';
import { PreferencesController } from './preferences.controller.js';
import { PreferencesService } from './preferences.service.js';

@Module({
  imports: [ConfigModule.forFeature(appConfig)],
  controllers: [PreferencesController],
  providers: [PreferencesService],
})
export class PreferencesModule {}
