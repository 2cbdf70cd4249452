import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { OwnerField } from '../../owner-field.js';

export class BucketListDto {
  @ApiProperty({ maxLength: 100 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty({ message: 'This field may not be blank.' })
  @MaxLength(100, { message: 'Ensure this field has no more than 100 characters.' })
  title: string;

  @OwnerField()
  user?: number | null;
}

/** PATCH: any subset. */
export class UpdateBucketListDto extends PartialType(BucketListDto) {}
