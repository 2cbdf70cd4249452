import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// One run = one isolated world on the shared services: its own database, Redis key namespace,
// queue prefix and upload directory, all derived from this id, created by the e2e global setup and removed afterwards.
// Set here, in the main process, so that the global setup and every worker see the same values.
const runId = (process.env.TEST_RUN_ID ??= `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`);
const db = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/scoopadive');
db.pathname = `/scoopadive_test_${runId}`;
Object.assign(process.env, {
  NODE_ENV: 'test',
  DATABASE_URL: db.toString(),
  CACHE_NAMESPACE: `scoopadive_test_${runId}`,
  QUEUE_PREFIX: `scoopadive_test_${runId}`,
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  STORAGE_DIR: join(tmpdir(), `scoopadive_test_${runId}`),
  // Unset JWT_SECRET / STORAGE_SIGNING_SECRET: the apps generate their keys here, as a fresh install does.
  SECRETS_DIR: join(tmpdir(), `scoopadive_test_${runId}_secrets`),
  JWT_SECRET: '',
  STORAGE_SIGNING_SECRET: '',
  CONSUMER_HEALTH_PORT: '0',
  // Apps share this process: a test that reads metrics gives its app a free port of its own.
  METRICS_PORT: '0',
  PORT: '0',
  // Every test user signs up and writes from 127.0.0.1 within one run: limits that a real address or
  // user never nears would hold the suite. Tests of those limits set their own, low values.
  SIGNUP_MAX_PER_IP: process.env.SIGNUP_MAX_PER_IP ?? '100000',
  WRITE_LIMIT_COMMENTS_PER_MINUTE: process.env.WRITE_LIMIT_COMMENTS_PER_MINUTE ?? '100000',
  WRITE_LIMIT_LOGBOOKS_PER_MINUTE: process.env.WRITE_LIMIT_LOGBOOKS_PER_MINUTE ?? '100000',
  WRITE_LIMIT_PHOTOS_PER_MINUTE: process.env.WRITE_LIMIT_PHOTOS_PER_MINUTE ?? '100000',
  WRITE_LIMIT_COMMUNITY_PER_MINUTE: process.env.WRITE_LIMIT_COMMUNITY_PER_MINUTE ?? '100000',
  RECOGNITION_DAILY_QUOTA: process.env.RECOGNITION_DAILY_QUOTA ?? '100000',
  RECOMMENDATION_DAILY_QUOTA: process.env.RECOMMENDATION_DAILY_QUOTA ?? '100000',
});

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    globals: true,
    setupFiles: ['reflect-metadata'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e-spec.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // One file at a time: files share this run's queues, and a consumer started by one file
          // must not take the commands another file is counting.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The long fault suites (`npm run test:faults`): load held while real services are broken.
        extends: true,
        test: {
          name: 'faults',
          include: ['test/faults/**/*.faults-spec.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
