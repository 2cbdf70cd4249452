/**
 * `npm run migration:check`: applies the migrations to a throwaway database, then asks TypeORM's
 * schema builder what it would change to make that database match the entities, and adds what the
 * builder does not compare. Any line means the two schema definitions disagree: it is printed and
 * the check fails. The database is dropped either way, and its name is unique, so parallel runs
 * never see each other's.
 */
import pg from 'pg';
import { DataSource } from 'typeorm';
import { validateEnv } from '@app/config';
import { DatabaseEnv, dataSourceOptions, migrate } from '@app/database';
import { schemaBuilderGaps } from './schema-builder-gaps.js';

const env = validateEnv(DatabaseEnv);
const url = new URL(env.DATABASE_URL);
const scratch = `migration_check_${process.pid}_${Date.now()}`;
url.pathname = `/${scratch}`;
const scratchEnv = { ...env, DATABASE_URL: url.toString() };

let differences: string[] = [];
try {
  await migrate(scratchEnv, () => undefined);
  const ds = new DataSource(dataSourceOptions(scratchEnv));
  await ds.initialize();
  try {
    const { upQueries } = await ds.driver.createSchemaBuilder().log();
    differences = [...upQueries.map((q) => `${q.query};`), ...(await schemaBuilderGaps(ds))];
  } finally {
    await ds.destroy();
  }
} finally {
  await dropDatabase(url, scratch);
}

if (differences.length) {
  console.error('Entities and migrations disagree:');
  for (const d of differences) console.error(`  ${d}`);
  process.exitCode = 1;
} else {
  console.log('Entities and migrations agree.');
}

async function dropDatabase(target: URL, name: string): Promise<void> {
  const admin = new URL(target);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
