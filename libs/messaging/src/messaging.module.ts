import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AmqpConnection } from './amqp.connection.js';
import { messagingConfig } from './messaging.config.js';

const configModule = ConfigModule.forFeature(messagingConfig);

@Global()
@Module({
  imports: [configModule],
  providers: [AmqpConnection],
  exports: [AmqpConnection, configModule],
})
export class MessagingModule {}
