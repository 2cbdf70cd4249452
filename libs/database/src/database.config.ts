import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsUrl, Max, Min } from 'class-validator';
import { validateEnv } from '@app/config';

export class DatabaseEnv {
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/scoopadive';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_POOL_SIZE = 20;

  /**
   * An idle pooled connection is closed after this long. Long by default: a new connection costs a
   * connect and a backend with cold catalog and plan caches, which the first batch after a quiet
   * spell paid for every connection (pg's default closes them after 10 s).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  DATABASE_POOL_IDLE_MS = 300_000;

  /** Bounds every statement so a stuck query cannot hold a request or a batch forever. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  DATABASE_STATEMENT_TIMEOUT_MS = 10_000;
}

export const databaseConfig = registerAs('database', () => validateEnv(DatabaseEnv));
