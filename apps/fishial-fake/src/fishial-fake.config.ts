import { Type } from 'class-transformer';
import { IsInt, IsIP, Max, Min } from 'class-validator';

export class FishialFakeEnv {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65_535)
  FISHIAL_FAKE_PORT = 3100;

  /** Loopback by default: it is a test double, not something to expose. Compose sets 0.0.0.0. */
  @IsIP()
  FISHIAL_FAKE_HOST = '127.0.0.1';
}
