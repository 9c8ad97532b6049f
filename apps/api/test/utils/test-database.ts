import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Set by the global setup: the server URL and the template database with every migration applied. */
export const TEMPLATE_DATABASE = 'pedigree_test_template';

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database per test file, cloned from the migrated template: isolated and fast. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.PEDIGREE_TEST_SERVER_URL;
  if (!serverUrl) throw new Error('PEDIGREE_TEST_SERVER_URL is unset: run the tests through jest, whose global setup sets it');
  const name = `pedigree_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  return {
    url: withDatabase(serverUrl, name),
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
