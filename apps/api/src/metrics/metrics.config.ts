import { Type } from 'class-transformer';
import { IsInt, IsIP, Max, Min } from 'class-validator';

export class MetricsEnv {
  /** Port of the operations listener (`/metrics`, readiness with details); 0: none. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65_535)
  METRICS_PORT = 9464;

  /** Its address: loopback unless a scraper elsewhere needs it (then a private interface, never a public one). */
  @IsIP(undefined, { message: 'must be an IP address' })
  METRICS_HOST = '127.0.0.1';
}
