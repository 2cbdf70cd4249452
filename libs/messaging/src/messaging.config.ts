import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsUrl, Matches, Max, Min } from 'class-validator';
import { validateEnv } from '@app/config';

export class MessagingEnv {
  @IsUrl({ protocols: ['amqp', 'amqps'], require_tld: false, require_protocol: true })
  RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';

  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 characters of A-Z a-z 0-9 _ . -' })
  QUEUE_PREFIX = 'scoopadive';

  /** Deliveries before a message is dead-lettered; crash redeliveries must stay far below it. */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(1_000)
  QUEUE_DELIVERY_LIMIT = 20;

  /** A publish not confirmed by the broker within this bound is answered 503, never 202. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(5_000)
  PUBLISH_CONFIRM_TIMEOUT_MS = 5_000;
}

export const messagingConfig = registerAs('messaging', () => validateEnv(MessagingEnv));
