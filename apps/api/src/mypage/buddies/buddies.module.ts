import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../../app.config.js';
import { DiversModule } from '../divers/divers.module.js';
import { BuddiesController } from './buddies.controller.js';
import { BuddiesService } from './buddies.service.js';

@Module({
  imports: [ConfigModule.forFeature(appConfig), DiversModule],
  controllers: [BuddiesController],
  providers: [BuddiesService],
})
export class BuddiesModule {}
