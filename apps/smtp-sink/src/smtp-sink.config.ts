import { Type } from 'class-transformer';
import { IsInt, IsIP, Max, Min } from 'class-validator';

export class SmtpSinkEnv {
  /** Where it speaks SMTP (the consumer's SMTP_PORT default). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65_535)
  SMTP_SINK_PORT = 1025;

  /** Where it shows what it received: `GET /messages[?to=address]`. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65_535)
  SMTP_SINK_HTTP_PORT = 1080;

  /** Loopback by default: it is a development and test double, holding live reset codes. */
  @IsIP()
  SMTP_SINK_HOST = '127.0.0.1';

  /** Messages kept; the oldest go first. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  SMTP_SINK_MAX_MESSAGES = 1_000;
}
