import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateCommentDto {
  @ApiProperty({ maxLength: 10_000 })
  @IsString()
  @Length(1, 10_000)
  text: string;
}
