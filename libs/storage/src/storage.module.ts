import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { storageConfig } from './storage.config.js';
import { StorageService } from './storage.service.js';

const configModule = ConfigModule.forFeature(storageConfig);

@Global()
@Module({
  imports: [configModule],
  providers: [StorageService],
  exports: [StorageService, configModule],
})
export class StorageModule {}
