import 'reflect-metadata';
import { EnvError } from '@app/config';
import { migrate } from '@app/database';

/** `npm run migrate`: creates the database if needed and applies pending migrations. */
migrate().then(
  (applied) => console.log(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date'),
  (err: unknown) => {
    console.error(err instanceof EnvError ? err.message : `migration failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
