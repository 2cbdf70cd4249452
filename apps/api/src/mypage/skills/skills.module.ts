import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../../app.config.js';
import { SkillsController } from './skills.controller.js';
import { SkillsService } from './skills.service.js';

@Module({
  imports: [ConfigModule.forFeature(appConfig)],
  controllers: [SkillsController],
  providers: [SkillsService],
})
export class SkillsModule {}
