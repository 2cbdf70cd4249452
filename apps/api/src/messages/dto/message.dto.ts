import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MESSAGE_TEMPLATES, type MessageTemplate } from '@app/database';
import { maxLengthMessage } from '../../common/drf-messages.js';

export const MESSAGE_MAX_LENGTH = 200;

/** Exactly one of receiver_id and receiver_username names the receiver; the service checks which. */
export class CreateMessageDto {
  @ApiProperty({ minLength: 1, maxLength: MESSAGE_MAX_LENGTH })
  @IsString()
  @IsNotEmpty({ message: 'This field may not be blank.' })
  @MaxLength(MESSAGE_MAX_LENGTH, maxLengthMessage)
  content: string;

  @ApiProperty({ enum: MESSAGE_TEMPLATES })
  @IsIn(MESSAGE_TEMPLATES)
  template: MessageTemplate;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  receiver_id?: number;

  @ApiPropertyOptional({ maxLength: 150 })
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'This field may not be blank.' })
  @MaxLength(150, maxLengthMessage)
  receiver_username?: string;
}
