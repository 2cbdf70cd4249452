import type { DataSource, QueryRunner } from 'typeorm';

/**
 * What TypeORM's schema builder does not compare, compared here on the migrated database: tables no
 * entity describes (it never drops a table), CHECK expressions (it matches CHECKs by name only) and
 * index column order (it matches the set of columns). One line per difference.
 */
export async function schemaBuilderGaps(ds: DataSource): Promise<string[]> {
  const gaps: string[] = [];
  const described = new Set([...ds.entityMetadatas.map((m) => m.tableName), ds.options.migrationsTableName]);
  const tables: { tablename: string }[] = await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
  for (const { tablename } of tables) if (!described.has(tablename)) gaps.push(`-- no entity describes table "${tablename}"`);

  for (const { indices } of ds.entityMetadatas) {
    for (const index of indices) {
      const declared = index.columns.map((c) => c.databaseName).join(', ');
      const [row]: { columns: string | null }[] = await ds.query(INDEX_COLUMNS, [index.name]);
      // A missing index is already among the builder's statements.
      if (row?.columns && row.columns !== declared) {
        gaps.push(`-- index "${index.name}" is on (${row.columns}) in the migrations but on (${declared}) in the entity`);
      }
    }
  }

  // Postgres's own rendering of both: the entity's CHECK is added for a moment to the (empty) table,
  // inside a transaction that is rolled back.
  const q = ds.createQueryRunner();
  await q.startTransaction();
  try {
    for (const { tableName, checks } of ds.entityMetadatas) {
      for (const check of checks) {
        const migrated = await checkDefinition(q, tableName, check.name);
        await q.query(`ALTER TABLE "${tableName}" ADD CONSTRAINT migration_check CHECK (${check.expression})`);
        const declared = await checkDefinition(q, tableName, 'migration_check');
        await q.query(`ALTER TABLE "${tableName}" DROP CONSTRAINT migration_check`);
        if (migrated && migrated !== declared) {
          gaps.push(`-- CHECK "${check.name}" is ${migrated} in the migrations but ${declared} in the entity`);
        }
      }
    }
  } finally {
    await q.rollbackTransaction();
    await q.release();
  }
  return gaps;
}

const INDEX_COLUMNS = `
  SELECT string_agg(a.attname, ', ' ORDER BY k.n) AS columns
  FROM pg_index i
  CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
  WHERE i.indexrelid = to_regclass(quote_ident($1))`;

async function checkDefinition(q: QueryRunner, table: string, name: string): Promise<string | undefined> {
  const rows: { def: string }[] = await q.query(
    'SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND conname = $2',
    [table, name],
  );
  return rows[0]?.def;
}
