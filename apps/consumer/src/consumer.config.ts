import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsIP, Max, Min } from 'class-validator';
import { LOG_LEVELS, validateEnv } from '@app/config';

export class ConsumerEnv {
  /** Port of `GET /health/ready`; 0 disables the HTTP listener. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65_535)
  CONSUMER_HEALTH_PORT = 3001;

  /** Loopback by default: readiness is for a probe on the same host (or container); 0.0.0.0 exposes it. */
  @IsIP()
  CONSUMER_HEALTH_HOST = '127.0.0.1';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  LIKE_BATCH_SIZE = 2_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  LIKE_BATCH_WAIT_MS = 50;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(256)
  RECOGNITION_CONCURRENCY = 40;

  /** Tries per photo when Fishial fails transiently (timeouts, 5xx), with exponential backoff between. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  RECOGNITION_ATTEMPTS = 4;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60_000)
  RECOGNITION_RETRY_BASE_MS = 250;

  /** Recommendations one consumer works on at once (its prefetch on the recommendations queue). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  RECOMMENDATION_CONCURRENCY = 4;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL = 'info';
}

export const consumerConfig = registerAs('consumer', () => validateEnv(ConsumerEnv));
