import { Global, Module } from '@nestjs/common';
import { AmqpModule } from './amqp.module.js';
import { CommandPublisher } from './command.publisher.js';

/** For an app that sends commands (the API): the connection and the confirmed publisher. */
@Global()
@Module({
  imports: [AmqpModule],
  providers: [CommandPublisher],
  exports: [AmqpModule, CommandPublisher],
})
export class MessagingModule {}
