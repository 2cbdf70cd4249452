import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../../app.config.js';
import { UsersModule } from '../../users/users.module.js';
import { DirectoryController } from './directory.controller.js';
import { DiversController } from './divers.controller.js';
import { DiversService } from './divers.service.js';

@Module({
  imports: [ConfigModule.forFeature(appConfig), UsersModule],
  controllers: [DiversController, DirectoryController],
  providers: [DiversService],
  exports: [DiversService],
})
export class DiversModule {}
