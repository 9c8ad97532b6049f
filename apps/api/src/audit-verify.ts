import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './common/database/embedded-postgres';
import { loadConfig } from './config';
import { createDataSource } from './data-source';
import { verifyChain } from './modules/audit/audit.service';

const USAGE = 'usage: npm run audit:verify -- --project KEY [--expected-seq N --expected-hash HEX]';

/**
 * `npm run audit:verify -- --project KEY`: recomputes a project's audit chain straight from the
 * database (DATABASE_URL, or the embedded one under PEDIGREE_DATA_DIR while the API is stopped).
 * Prints the report as JSON; exits 0 when the chain is intact, 1 when it is broken, 2 on misuse.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { project: { type: 'string' }, 'expected-seq': { type: 'string' }, 'expected-hash': { type: 'string' } } });
  if (!values.project || Boolean(values['expected-seq']) !== Boolean(values['expected-hash'])) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const embedded: EmbeddedDatabase | null = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir);
  const dataSource = createDataSource(config.databaseUrl ?? (embedded as EmbeddedDatabase).url);
  try {
    await dataSource.initialize();
    const [project] = await dataSource.query(`SELECT id FROM project WHERE key = $1`, [values.project]);
    if (!project) {
      console.error(`no project with key "${values.project}"`);
      return 2;
    }
    const expected = values['expected-seq'] ? { seq: Number(values['expected-seq']), hash: String(values['expected-hash']) } : null;
    const report = await verifyChain(dataSource, project.id, expected);
    console.log(JSON.stringify({ project: values.project, ...report }, null, 2));
    return report.valid ? 0 : 1;
  } finally {
    await dataSource.destroy().catch(() => undefined);
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
