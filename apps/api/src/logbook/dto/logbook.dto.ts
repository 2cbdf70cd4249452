import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  IsDateString,
  IsNotEmpty,
} from 'class-validator';
import { DIVE_TYPES, WEATHERS } from '@app/database';
import { maxLengthMessage } from '../../common/drf-messages.js';
import { FormDuration, FormList, FormNullable, FormNumber } from './form-transforms.js';

const SMALLINT_MAX = 32_767;
const DAY = 86_400;
/** Lengths a person writes: a title or site as the original's columns, a page of feelings, a few names. */
export const TITLE_MAX_LENGTH = 256;
export const FEELING_MAX_LENGTH = 5_000;
export const BUDDY_MAX_LENGTH = 200;

/**
 * A logbook as the original client writes it, by multipart (repeated `equipment=<name>` fields, a
 * `dive_image` file) or JSON. Also the model rules the original declared but never ran: bottom time
 * of at least a minute, the weather and dive-type choices; end ≤ start pressure is checked by the
 * service, on the merged row, so that a PATCH of one pressure cannot break it either.
 */
export class CreateLogbookDto {
  @ApiProperty({ maxLength: TITLE_MAX_LENGTH })
  @IsString()
  @IsNotEmpty({ message: 'This field may not be blank.' })
  @MaxLength(TITLE_MAX_LENGTH, maxLengthMessage)
  dive_title: string;

  @ApiProperty({ maxLength: TITLE_MAX_LENGTH })
  @IsString()
  @IsNotEmpty({ message: 'This field may not be blank.' })
  @MaxLength(TITLE_MAX_LENGTH, maxLengthMessage)
  dive_site: string;

  @ApiProperty({ example: '2024-06-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.' })
  @IsDateString({ strict: true }, { message: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.' })
  dive_date: string;

  @ApiProperty({ description: 'metres' })
  @FormNumber()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'A valid number is required.' })
  @Min(0)
  @Max(400)
  max_depth: number;

  @ApiProperty({
    oneOf: [
      { type: 'string', example: '00:45:00' },
      { type: 'integer', minimum: 60 },
    ],
    description: '[D ]HH:MM:SS, MM:SS or seconds; at least one minute',
  })
  @FormDuration()
  @IsInt({ message: 'Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu].' })
  @Min(60, { message: 'Bottom time must be at least 1 minute.' })
  @Max(DAY - 1, { message: 'Bottom time must be less than a day.' })
  bottom_time: number;

  @ApiProperty({ description: 'kg' })
  @FormNumber()
  @IsInt({ message: 'A valid integer is required.' })
  @Min(0)
  @Max(SMALLINT_MAX)
  weight: number;

  @ApiProperty({ description: 'bar' })
  @FormNumber()
  @IsInt({ message: 'A valid integer is required.' })
  @Min(0)
  @Max(SMALLINT_MAX)
  start_pressure: number;

  @ApiProperty({ description: 'bar; not more than start_pressure' })
  @FormNumber()
  @IsInt({ message: 'A valid integer is required.' })
  @Min(0)
  @Max(SMALLINT_MAX)
  end_pressure: number;

  @ApiPropertyOptional({ enum: WEATHERS, nullable: true })
  @FormNullable()
  @IsOptional()
  @IsIn(WEATHERS, { message: `Must be one of: ${WEATHERS.join(', ')}.` })
  weather?: string | null;

  @ApiPropertyOptional({ enum: DIVE_TYPES, nullable: true })
  @FormNullable()
  @IsOptional()
  @IsIn(DIVE_TYPES, { message: `Must be one of: ${DIVE_TYPES.join(', ')}.` })
  type_of_dive?: string | null;

  @ApiPropertyOptional({ nullable: true, maxLength: FEELING_MAX_LENGTH })
  @FormNullable()
  @IsOptional()
  @IsString()
  @MaxLength(FEELING_MAX_LENGTH, maxLengthMessage)
  feeling?: string | null;

  @ApiPropertyOptional({ nullable: true, maxLength: BUDDY_MAX_LENGTH, description: 'free text, e.g. a name' })
  @FormNullable()
  @IsOptional()
  @IsString()
  @MaxLength(BUDDY_MAX_LENGTH, maxLengthMessage)
  buddy?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @FormNullable()
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'Enter a valid http(s) URL.' })
  @MaxLength(1_000)
  dive_image_url?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'id of a dive center' })
  @FormNumber()
  @IsOptional()
  @IsInt({ message: 'Incorrect type. Expected pk value.' })
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  dive_center?: number | null;

  @ApiPropertyOptional({ nullable: true })
  @FormNumber()
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'A valid number is required.' })
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @ApiPropertyOptional({ nullable: true })
  @FormNumber()
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'A valid number is required.' })
  @Min(-180)
  @Max(180)
  longitude?: number | null;

  @ApiPropertyOptional({ type: [String], description: 'equipment names, get-or-created' })
  @FormList()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  equipment?: string[];

  @ApiPropertyOptional({
    type: 'string',
    format: 'binary',
    nullable: true,
    description: 'an image file (multipart); null or "" removes the current one',
  })
  @IsOptional()
  @IsIn([null, ''], { message: 'Send the image as a multipart file.' })
  dive_image?: null | '';
}

/** PATCH: any subset. Required columns still may not become null (checked on the merged row). */
export class UpdateLogbookDto extends PartialType(CreateLogbookDto) {}
