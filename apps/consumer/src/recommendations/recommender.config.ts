import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { validateEnv } from '@app/config';

export const RECOMMENDERS = ['community', 'openai'] as const;
export type RecommenderName = (typeof RECOMMENDERS)[number];

/**
 * Which recommender the consumer runs. `community` needs no network; `openai` calls any
 * OpenAI-compatible Chat Completions endpoint, by default apps/openai-fake on this machine (set the
 * URL and key for a real one).
 */
export class RecommenderEnv {
  @IsIn(RECOMMENDERS)
  RECOMMENDER: RecommenderName = 'community';

  /** Base URL of the API, up to and including its version (the client appends /chat/completions). */
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  OPENAI_BASE_URL = 'http://127.0.0.1:3200/v1';

  /** Sent as the Bearer token only; never logged (config errors print it as <hidden>). */
  @IsString()
  @MinLength(1)
  OPENAI_API_KEY = 'fake-openai-key';

  @Matches(/^[A-Za-z0-9._:/-]{1,100}$/, { message: 'must be a model name (letters, digits, . _ : / -)' })
  OPENAI_MODEL = 'gpt-4o-mini';

  /** Bound on each call (connect to last byte); a timeout counts as transient and is retried. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  OPENAI_TIMEOUT_MS = 20_000;

  /** Retries after a transient failure (timeout, connection error, 408/409/429/5xx), with exponential backoff and jitter. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  OPENAI_MAX_RETRIES = 2;
}

export const recommenderConfig = registerAs('recommender', () => validateEnv(RecommenderEnv));
