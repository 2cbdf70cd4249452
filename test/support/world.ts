import { rm } from 'node:fs/promises';
import amqp from 'amqplib';
import pg from 'pg';
import { createClient } from '@redis/client';
import { SecretsEnv, validateEnv } from '@app/config';
import { CacheEnv } from '@app/cache';
import { DatabaseEnv, migrate } from '@app/database';
import { StorageEnv } from '@app/storage';
import { MessagingEnv, QUEUES, deadLetterQueueName, queueName } from '@app/messaging';

/**
 * An isolated world on the shared services, named by the variables in process.env: its database
 * (DATABASE_URL), Redis namespace (CACHE_NAMESPACE), queue prefix (QUEUE_PREFIX), upload
 * directory (STORAGE_DIR) and generated secrets (SECRETS_DIR). Tests and benchmarks each make their own and remove it afterwards.
 */
export async function createWorld(): Promise<void> {
  await migrate(validateEnv(DatabaseEnv), () => undefined);
}

export async function dropWorld(): Promise<void> {
  await Promise.allSettled([
    dropDatabase(),
    deleteRedisKeys(),
    deleteQueues(),
    rm(validateEnv(StorageEnv).STORAGE_DIR, { recursive: true, force: true }),
    rm(validateEnv(SecretsEnv).SECRETS_DIR, { recursive: true, force: true }),
  ]);
}

async function dropDatabase(): Promise<void> {
  const url = new URL(validateEnv(DatabaseEnv).DATABASE_URL);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
}

/** SCAN, never KEYS, and only this run's namespace. */
async function deleteRedisKeys(): Promise<void> {
  const env = validateEnv(CacheEnv);
  const client = createClient({ url: env.REDIS_URL });
  await client.connect();
  // One UNLINK per batch, not a round trip per key.
  let batch: string[] = [];
  for await (const key of client.scanIterator({ MATCH: `${env.CACHE_NAMESPACE}:*`, COUNT: 500 })) {
    batch.push(key);
    if (batch.length === 500) {
      await client.unlink(batch);
      batch = [];
    }
  }
  if (batch.length) await client.unlink(batch);
  await client.quit();
}

async function deleteQueues(): Promise<void> {
  const env = validateEnv(MessagingEnv);
  const conn = await amqp.connect(env.RABBITMQ_URL);
  const channel = await conn.createChannel();
  for (const name of QUEUES) {
    await channel.deleteQueue(queueName(env.QUEUE_PREFIX, name));
    await channel.deleteQueue(deadLetterQueueName(env.QUEUE_PREFIX, name));
  }
  await conn.close();
}
