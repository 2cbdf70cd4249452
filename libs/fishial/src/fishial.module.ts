import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { FishialClient } from './fishial.client.js';
import { fishialConfig } from './fishial.config.js';

@Module({
  imports: [ConfigModule.forFeature(fishialConfig)],
  providers: [FishialClient],
  exports: [FishialClient],
})
export class FishialModule {}
