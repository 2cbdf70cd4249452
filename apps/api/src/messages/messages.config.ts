import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { validateEnv } from '@app/config';

export class MessagesEnv {
  /** Direct messages one user may send per minute, counted in the shared rate-limit store. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  MESSAGE_LIMIT_PER_MINUTE = 10;
}

export const messagesConfig = registerAs('messages', () => validateEnv(MessagesEnv));
