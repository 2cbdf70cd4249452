import pg from 'pg';
import { validateEnv } from '@app/config';
import { DatabaseEnv } from '@app/database';

/**
 * A Postgres outage for this run's database only: new connections are refused and open ones are
 * terminated (but those of `spare`, an application_name). Resolves to the function that ends it.
 */
export async function refuseConnections(spare = ''): Promise<() => Promise<void>> {
  const url = new URL(validateEnv(DatabaseEnv).DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
  await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name <> $2', [name, spare]);
  return async () => {
    await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
    await admin.end();
  };
}
