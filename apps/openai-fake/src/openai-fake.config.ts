import { Type } from 'class-transformer';
import { IsInt, IsIP, IsString, Max, Min, MinLength } from 'class-validator';

export class OpenAiFakeEnv {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65_535)
  OPENAI_FAKE_PORT = 3200;

  /** Loopback by default: it is a test double, not something to expose. */
  @IsIP()
  OPENAI_FAKE_HOST = '127.0.0.1';

  /** The key it accepts (the consumer's OPENAI_API_KEY default). */
  @IsString()
  @MinLength(1)
  OPENAI_FAKE_API_KEY = 'fake-openai-key';

  /** Latency of every completion, ms: a model takes seconds, the default a little of that. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600_000)
  OPENAI_FAKE_DELAY_MS = 300;

  /** Share of completions answered 500, from 0 to 1: a flaky upstream. */
  @Type(() => Number)
  @Min(0)
  @Max(1)
  OPENAI_FAKE_ERROR_RATE = 0;
}
