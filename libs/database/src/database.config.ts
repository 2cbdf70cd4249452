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

  /** Bounds every statement so a stuck query cannot hold a request or a batch forever. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  DATABASE_STATEMENT_TIMEOUT_MS = 10_000;
}

export const databaseConfig = registerAs('database', () => validateEnv(DatabaseEnv));
