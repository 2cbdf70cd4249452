import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { EnvError, validateEnv } from '@app/config';
import { AmqpConnection } from '@app/messaging';
import { ConsumerEnv } from './consumer.config.js';
import { ConsumerModule } from './consumer.module.js';
import { ConsumerState } from './consumer.state.js';

/**
 * The consumer: RabbitMQ commands in, batched Postgres transactions out. It also serves
 * `/health/ready` on CONSUMER_HEALTH_PORT for orchestrators. SIGTERM closes the app, whose shutdown
 * hooks stop consumption and flush, and then exits 0.
 */
async function main(): Promise<void> {
  const env = validateEnv(ConsumerEnv);
  const app = await NestFactory.create<NestFastifyApplication>(ConsumerModule, new FastifyAdapter(), {
    logger: false,
    abortOnError: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  await app.init();
  if (env.CONSUMER_HEALTH_PORT > 0) await app.listen({ port: env.CONSUMER_HEALTH_PORT, host: '0.0.0.0' });
  await app.get(AmqpConnection).channel.waitForConnect();
  app.get(ConsumerState).status = 'consuming';
  logger.log('consumer ready');

  // Not Nest's enableShutdownHooks: it re-raises the signal after closing, and an orchestrator
  // must see exit 0 after a clean drain.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: draining`);
    app.get(ConsumerState).status = 'draining';
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM')).on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
