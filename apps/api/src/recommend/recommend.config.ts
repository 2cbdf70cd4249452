import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { validateEnv } from '@app/config';

export class RecommendEnv {
  /**
   * How long `POST /api/recommend/spots/` waits for the consumer to store the new spots before it
   * answers 202 instead of 201; a request's `Prefer: wait=N` (N ≤ 30) says otherwise for itself.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(30)
  RECOMMEND_WAIT_SECONDS = 5;
}

export const recommendConfig = registerAs('recommend', () => validateEnv(RecommendEnv));
