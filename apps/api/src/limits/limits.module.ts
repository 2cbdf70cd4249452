import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { DailyQuotas } from './daily.quota.js';
import { WriteLimitGuard } from './limit-writes.decorator.js';
import { limitsConfig } from './limits.config.js';
import { RateLimits } from './rate-limits.js';
import { WriteLimiter } from './write.limiter.js';

/** Global: any feature's route can take `@LimitWrites`, and any service a limit or a quota. */
@Global()
@Module({
  imports: [ConfigModule.forFeature(limitsConfig)],
  providers: [RateLimits, WriteLimiter, WriteLimitGuard, DailyQuotas],
  exports: [RateLimits, WriteLimiter, WriteLimitGuard, DailyQuotas],
})
export class LimitsModule {}
