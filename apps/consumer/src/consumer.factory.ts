import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AmqpConnection } from '@app/messaging';
import { ConsumerModule } from './consumer.module.js';
import { ConsumerState } from './consumer.state.js';

/**
 * Builds the consumer as `main.ts` runs it (tests call this too) and waits until it consumes. The
 * health port opens first, so that readiness answers 503 while RabbitMQ is still unreachable.
 */
export async function createConsumer(healthPort = 0): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(ConsumerModule, new FastifyAdapter(), {
    logger: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  await app.init();
  if (healthPort > 0) await app.listen({ port: healthPort, host: '0.0.0.0' });
  await app.get(AmqpConnection).channel.waitForConnect();
  app.get(ConsumerState).status = 'consuming';
  return app;
}
