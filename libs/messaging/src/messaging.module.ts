import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AmqpConnection } from './amqp.connection.js';
import { CommandPublisher } from './command.publisher.js';
import { messagingConfig } from './messaging.config.js';

const configModule = ConfigModule.forFeature(messagingConfig);

@Global()
@Module({
  imports: [configModule],
  providers: [AmqpConnection, CommandPublisher],
  exports: [AmqpConnection, CommandPublisher, configModule],
})
export class MessagingModule {}
