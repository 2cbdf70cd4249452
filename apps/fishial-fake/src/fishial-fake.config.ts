import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class FishialFakeEnv {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65_535)
  FISHIAL_FAKE_PORT = 3100;
}
