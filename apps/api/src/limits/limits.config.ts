import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { validateEnv } from '@app/config';

/** Per-user write rates and quotas; a person writing by hand stays far below each. */
export class LimitsEnv {
  /** Comments one user may post per minute. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  WRITE_LIMIT_COMMENTS_PER_MINUTE = 20;

  /** Logbook creates and updates one user may make per minute. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  WRITE_LIMIT_LOGBOOKS_PER_MINUTE = 30;

  /** Photo creates and presigned-URL requests one user may make per minute (a batch of 40 takes 80). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  WRITE_LIMIT_PHOTOS_PER_MINUTE = 120;

  /** Profile edits, buddy, bucket-list, skill, job-board and preferences writes one user may make per minute. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  WRITE_LIMIT_COMMUNITY_PER_MINUTE = 30;

  /** Photos one user may send to Fishial (a paid call) per day; a photo already recognised costs nothing. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RECOGNITION_DAILY_QUOTA = 50;

  /** Spot recommendations one user may start per day (an outside model may be paid per call); joining one in flight costs nothing. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RECOMMENDATION_DAILY_QUOTA = 20;
}

export const limitsConfig = registerAs('limits', () => validateEnv(LimitsEnv));
