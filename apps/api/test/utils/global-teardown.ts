import { rmSync } from 'node:fs';
import type { EmbeddedDatabase } from '../../src/common/database/embedded-postgres';
import { TEMPLATE_DATABASE, adminQuery } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__PEDIGREE_EMBEDDED__ as { embedded: EmbeddedDatabase; dataDir: string } | undefined;
  if (started) {
    await started.embedded.stop();
    rmSync(started.dataDir, { recursive: true, force: true });
  } else if (process.env.PEDIGREE_TEST_SERVER_URL) {
    await adminQuery(process.env.PEDIGREE_TEST_SERVER_URL, `DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  }
}
