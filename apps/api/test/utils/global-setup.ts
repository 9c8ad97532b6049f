import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/common/database/embedded-postgres';
import { createDataSource } from '../../src/data-source';
import { TEMPLATE_DATABASE, adminQuery, withDatabase } from './test-database';

/**
 * Starts the database server (DATABASE_URL's, or an embedded one as on a fresh laptop) and
 * builds a template database with the real migrations, which each test file clones.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pedigree-test-'));
    const embedded = await startEmbeddedPostgres(dataDir, 'postgres_test');
    (globalThis as Record<string, unknown>).__PEDIGREE_EMBEDDED__ = { embedded, dataDir };
    serverUrl = embedded.url;
  }
  process.env.PEDIGREE_TEST_SERVER_URL = serverUrl;
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await adminQuery(serverUrl, `CREATE DATABASE ${TEMPLATE_DATABASE}`);
  const dataSource = createDataSource(withDatabase(serverUrl, TEMPLATE_DATABASE));
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
}
