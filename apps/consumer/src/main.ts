import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { EnvError, validateEnv } from '@app/config';
import { ConsumerEnv } from './consumer.config.js';
import { createConsumer } from './consumer.factory.js';
import { ConsumerState } from './consumer.state.js';

/**
 * The consumer: RabbitMQ commands in, batched Postgres transactions out. It also serves
 * `/health/ready` on CONSUMER_HEALTH_PORT for orchestrators. SIGTERM closes the app, whose shutdown
 * hooks stop consumption and flush, and then exits 0.
 */
async function main(): Promise<void> {
  const env = validateEnv(ConsumerEnv);
  const app = await createConsumer(env.CONSUMER_HEALTH_PORT);
  const logger = app.get(Logger);
  logger.log('consumer ready');

  // Not Nest's enableShutdownHooks: it re-raises the signal after closing, and an orchestrator
  // must see exit 0 after a clean drain.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: draining`);
    app.get(ConsumerState).status = 'draining';
    await app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error(`shutdown failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => void stop('SIGTERM')).on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
