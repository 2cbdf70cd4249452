import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  Max,
  Min,
} from 'class-validator';

export class CreatePhotoDto {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Length(1, 100)
  title: string;

  @ApiPropertyOptional({ description: 'the fileUrl of a presigned upload (or send an `image` file by multipart)' })
  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  image_url?: string;
}

export class UpdatePhotoDto {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Length(1, 100)
  title: string;
}

export class ClassifyBatchDto {
  @ApiProperty({ type: [Number], maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'photo_ids must not repeat an id' })
  @Type(() => Number)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(Number.MAX_SAFE_INTEGER, { each: true })
  photo_ids: number[];
}
