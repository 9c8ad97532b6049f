import 'reflect-metadata';
import { type Config, ConfigError, loadConfig } from './config';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './common/database/embedded-postgres';
import { createDataSource } from './data-source';
import { logger } from './logger';
import { seedDemoProject } from './modules/demo/demo.seed';
import { User } from './modules/user/user.entity';
import { createServices } from './schema';
import { startServer } from './server';

async function main(config: Config): Promise<void> {
  const embedded: EmbeddedDatabase | null = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir);
  const dataSource = createDataSource(config.databaseUrl ?? (embedded as EmbeddedDatabase).url);
  await dataSource.initialize();
  // A deployment with a separate migration step (docker/, docker/k8s/) turns this off.
  if (process.env.PEDIGREE_MIGRATE_ON_START !== 'false') await dataSource.runMigrations({ transaction: 'each' });

  const auth = { secret: config.secret, sessionHours: config.sessionHours, passwordLogin: config.passwordLogin, approvalReauthMinutes: config.approvalReauthMinutes, oidc: config.oidc };
  const services = createServices(dataSource, auth, config.webhooks);
  if (await services.users.ensureFirstAdmin(config.adminEmail, config.adminPassword)) {
    if (config.adminFromEnvironment) logger.info({ email: config.adminEmail }, 'created the first admin');
    else logger.warn({ email: config.adminEmail, password: config.adminPassword }, 'created the first admin with development credentials; set PEDIGREE_ADMIN_EMAIL and PEDIGREE_ADMIN_PASSWORD to choose them');
    if (embedded?.created) {
      const admin = await dataSource.getRepository(User).findOneByOrFail({ isAdmin: true });
      await seedDemoProject(dataSource, services, admin.id);
      logger.info('created the demo project "demo"');
    }
  }

  const server = await startServer(dataSource, auth, config.port, config.webhooks);
  logger.info({ url: server.url }, 'Pedigree API listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await server.stop();
    await dataSource.destroy();
    await embedded?.stop();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // This process owns shutdown. The embedded-postgres package hooks these signals to stop its
    // server at once, which would cut the requests still draining off their database.
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    logger.fatal(error.message);
    process.exit(1);
  }
  throw error;
}
main(config).catch((error) => {
  logger.fatal({ err: error }, 'Pedigree API failed to start');
  process.exit(1);
});
