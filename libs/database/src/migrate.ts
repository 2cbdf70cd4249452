import pg from 'pg';
import { DataSource } from 'typeorm';
import { validateEnv } from '@app/config';
import { DatabaseEnv } from './database.config.js';
import { dataSourceOptions } from './data-source.options.js';

/** Creates the database when it does not exist yet, then applies pending migrations. */
export async function migrate(env: DatabaseEnv = validateEnv(DatabaseEnv), log = console.log): Promise<string[]> {
  await ensureDatabase(env.DATABASE_URL);
  const ds = new DataSource(dataSourceOptions(env));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    for (const m of applied) log(`migration applied: ${m.name}`);
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (err) {
    // Two processes may race to create it; the loser sees duplicate_database and carries on.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end();
  }
}
