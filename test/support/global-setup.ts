import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createWorld, dropWorld } from './world.js';

/** This run's world (see vitest.config.ts for its names), created through the real migrations. */
export async function setup(): Promise<void> {
  // Tests that SIGKILL or SIGTERM a consumer run the built one, as production does.
  const build = promisify(execFile)(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build', 'consumer']);
  await createWorld();
  await build;
}

export async function teardown(): Promise<void> {
  await dropWorld();
}
