import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AmqpConnection } from './amqp.connection.js';
import { messagingConfig } from './messaging.config.js';

const configModule = ConfigModule.forFeature(messagingConfig);

/** The RabbitMQ connection and the topology it asserts: what every app that talks to the broker needs. */
@Global()
@Module({
  imports: [configModule],
  providers: [AmqpConnection],
  exports: [AmqpConnection, configModule],
})
export class AmqpModule {}
