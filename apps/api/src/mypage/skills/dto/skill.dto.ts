import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { OwnerField } from '../../owner-field.js';

export class SkillDto {
  @ApiProperty({ maxLength: 200 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty({ message: 'This field may not be blank.' })
  @MaxLength(200, { message: 'Ensure this field has no more than 200 characters.' })
  skill: string;

  @OwnerField()
  user?: number | null;
}

/** PATCH: any subset. */
export class UpdateSkillDto extends PartialType(SkillDto) {}
