import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createWorld, dropWorld } from './world.js';

const nest = (app: string) => promisify(execFile)(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build', app]);

/** This run's world (see vitest.config.ts for its names), created through the real migrations. */
export async function setup(): Promise<void> {
  // Tests that SIGKILL or SIGTERM a consumer run the built one, as production does, and the API's
  // worker test forks the built API: both are built once here, before any test file starts, so that
  // no test rebuilds dist/ under another one that is running from it.
  const builds = Promise.all([nest('consumer'), nest('api')]);
  await createWorld();
  await builds;
}

export async function teardown(): Promise<void> {
  await dropWorld();
}
