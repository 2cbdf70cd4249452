import { Global, Module } from '@nestjs/common';
import { ConsumptionRegistry } from './consumption.registry.js';

@Global()
@Module({ providers: [ConsumptionRegistry], exports: [ConsumptionRegistry] })
export class DeliveriesModule {}
