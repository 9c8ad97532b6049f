import { createHash } from 'node:crypto';
import type { Pool, QueryResultRow } from 'pg';
import { type DataSource, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { countStatement } from './sql-logger';

/**
 * Runs a fixed read outside any transaction as a named prepared statement: each pooled connection
 * parses and plans it once, then only binds and executes it. For the reads every request makes
 * (the viewer, loaders), TypeORM's unnamed statements had PostgreSQL plan them anew each time.
 * Failures are TypeORM's QueryFailedError, as from `dataSource.query`, so they translate alike.
 */
export async function preparedQuery<Row extends QueryResultRow>(dataSource: DataSource, sql: string, parameters: unknown[]): Promise<Row[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  countStatement();
  try {
    return (await pool.query<Row>({ name: statementName(sql), text: sql, values: parameters })).rows;
  } catch (error) {
    throw new QueryFailedError(sql, parameters, error as Error);
  }
}

const names = new Map<string, string>();

/** pg keeps prepared statements per connection by name; a digest of the SQL keeps names apart. */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) names.set(sql, (name = `pedigree_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`));
  return name;
}
