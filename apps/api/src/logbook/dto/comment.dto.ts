import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { maxLengthMessage } from '../../common/drf-messages.js';

export const COMMENT_MAX_LENGTH = 2_000;

export class CreateCommentDto {
  @ApiProperty({ maxLength: COMMENT_MAX_LENGTH })
  @IsString()
  @IsNotEmpty({ message: 'This field may not be blank.' })
  @MaxLength(COMMENT_MAX_LENGTH, maxLengthMessage)
  text: string;
}
