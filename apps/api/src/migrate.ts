import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { createDataSource } from './data-source';
import { logger } from './logger';

/**
 * Applies pending migrations and exits: the migration step of a deployment (a compose service, a
 * Kubernetes Job), run once before the API replicas start with PEDIGREE_MIGRATE_ON_START=false.
 */
async function migrate(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL is required to migrate a shared database');
  const dataSource = createDataSource(config.databaseUrl);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    logger.info({ applied: applied.map((migration) => migration.name) }, 'migrations applied');
  } finally {
    await dataSource.destroy();
  }
}

migrate().catch((error) => {
  logger.fatal({ err: error }, 'migration failed');
  process.exit(1);
});
