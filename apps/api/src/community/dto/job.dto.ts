import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';

/**
 * A post on the job board. `user`, `id` and `created_at` are the server's: sending them is a 400
 * naming the field (the global pipe refuses every field not declared here).
 */
export class CreateJobDto {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Length(1, 100)
  title: string;

  @ApiPropertyOptional({ maxLength: 100, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  location?: string | null;

  @ApiPropertyOptional({ maxLength: 5_000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5_000)
  description?: string | null;
}

/** Every field optional, but a title that is sent must be one: null cannot clear it. */
export class UpdateJobDto extends PartialType(OmitType(CreateJobDto, ['title'] as const)) {
  @ApiPropertyOptional({ maxLength: 100 })
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @Length(1, 100)
  title?: string;
}
