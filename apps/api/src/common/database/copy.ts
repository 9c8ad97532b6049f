import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager, QueryRunner } from 'typeorm';
import { countStatement } from './sql-logger';

/** A value COPY's text format can carry: null, a number, a string, or a Date (sent as ISO 8601). */
export type CopyValue = string | number | Date | null;

/** COPY's text format gives backslash, tab, newline and carriage return a backslash escape. */
const COPY_SPECIAL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return String(value);
  return value.replace(COPY_SPECIAL, (special) => COPY_ESCAPES[special]);
}

/**
 * Writes rows with `COPY ... FROM STDIN` on `client`: one round trip, no per-value parameter
 * encoding, and the server parses plain text. `table` and `columns` are trusted identifiers.
 */
export async function copyRows(client: ClientBase, table: string, columns: readonly string[], rows: readonly CopyValue[][]): Promise<void> {
  let text = '';
  for (const row of rows) text += `${row.map(copyField).join('\t')}\n`;
  countStatement();
  await pipeline(Readable.from([text]), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
}

/** The pg connection behind a transaction's entity manager, for what TypeORM cannot send (COPY). */
export function transactionClient(manager: EntityManager): ClientBase {
  const runner = manager.queryRunner as (QueryRunner & { databaseConnection?: ClientBase }) | undefined;
  if (!runner?.isTransactionActive || !runner.databaseConnection) throw new Error('COPY runs on the connection of an open transaction');
  return runner.databaseConnection;
}
