import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { validateEnv } from '@app/config';
import { AmqpConnection, CommandDeserializer, type CommandKind, Commands, MessagingEnv, queueName, queueOptions } from '@app/messaging';
import { ConsumerEnv } from './consumer.config.js';
import { ConsumerModule } from './consumer.module.js';
import { ConsumerState } from './consumer.state.js';
import { CommandQueueServer } from './deliveries/command-queue.server.js';
import { mailEnvFrom } from './mail/mail.config.js';

/**
 * Nest's RMQ transport for the queue of one command kind, with none of its defaults left standing:
 * manual acks (the default `noAck: true` loses whatever is in flight on a crash), a per-consumer
 * prefetch (default: unlimited), the queue asserted with the same quorum arguments as the publisher's,
 * the kind's own deserializer, and a consumer tag of our own so shutdown can cancel exactly this consumer;
 * served by CommandQueueServer, which routes our string patterns without a JSON parse.
 */
function commandQueue(messaging: MessagingEnv, kind: CommandKind, prefetch: number): MicroserviceOptions {
  const { queue } = Commands[kind];
  return {
    strategy: new CommandQueueServer({
      urls: [messaging.RABBITMQ_URL],
      queue: queueName(messaging.QUEUE_PREFIX, queue),
      queueOptions: queueOptions(messaging.QUEUE_PREFIX, queue, messaging.QUEUE_DELIVERY_LIMIT),
      noAck: false,
      prefetchCount: prefetch,
      isGlobalPrefetchCount: false,
      consumerTag: `${queue}.${hostname()}.${process.pid}.${randomUUID().slice(0, 8)}`,
      deserializer: new CommandDeserializer(kind),
      socketOptions: { heartbeatIntervalInSeconds: 10, reconnectTimeInSeconds: 1, connectionOptions: { timeout: 5_000 } },
    }),
  };
}

/**
 * Builds the consumer as `main.ts` runs it (tests call this too) and waits until it consumes. The
 * health port opens first, so that readiness answers 503 while RabbitMQ is still unreachable.
 */
export async function createConsumer(healthPort = 0): Promise<NestFastifyApplication> {
  const env = validateEnv(ConsumerEnv);
  const messaging = validateEnv(MessagingEnv);
  const mail = mailEnvFrom();
  const app = await NestFactory.create<NestFastifyApplication>(ConsumerModule, new FastifyAdapter(), {
    logger: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  // Two batches: one being written while the next one fills.
  app.connectMicroservice(commandQueue(messaging, 'like', 2 * env.LIKE_BATCH_SIZE), { inheritAppConfig: true });
  // Each recognition message is worked on as soon as it arrives: the prefetch is the concurrency.
  app.connectMicroservice(commandQueue(messaging, 'recognition', env.RECOGNITION_CONCURRENCY), { inheritAppConfig: true });
  app.connectMicroservice(commandQueue(messaging, 'recommendation', env.RECOMMENDATION_CONCURRENCY), { inheritAppConfig: true });
  // A mail waiting out an SMTP outage holds its delivery: the prefetch bounds how many wait in memory.
  app.connectMicroservice(commandQueue(messaging, 'mail', mail.MAIL_CONCURRENCY), { inheritAppConfig: true });
  await app.init();
  if (healthPort > 0) await app.listen({ port: healthPort, host: env.CONSUMER_HEALTH_HOST });
  // The topology (dead-letter queues included) exists before the first consume.
  await app.get(AmqpConnection).channel.waitForConnect();
  await app.startAllMicroservices();
  app.get(ConsumerState).status = 'consuming';
  return app;
}
