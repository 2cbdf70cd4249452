import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { validateEnv } from '@app/config';

export class StorageEnv {
  /** Where uploaded images live (local disk storage); created at boot. */
  @IsString()
  @MinLength(1)
  STORAGE_DIR = 'var/uploads';

  /** Largest accepted image; larger uploads are cut off while streaming, before they are stored. */
  @Type(() => Number)
  @IsInt()
  @Min(1_024)
  @Max(100 * 1_048_576)
  UPLOAD_MAX_BYTES = 10 * 1_048_576;
}

export const storageConfig = registerAs('storage', () => validateEnv(StorageEnv));
