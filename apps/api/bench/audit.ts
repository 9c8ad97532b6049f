import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createDataSource } from '../src/data-source';
import { type ChainedEvent, GENESIS_HASH, chainHash } from '../src/modules/audit/audit.chain';
import { auditedTransaction, recordAudit, verifyChain } from '../src/modules/audit/audit.service';
import { type Cleanup, startBenchDatabase } from './bench-database';

/**
 * `npm run bench:audit`: verifies a 1,000,000-event chain (DESIGN.md: under 60 s here) and measures
 * how fast events are appended by concurrent writers, each event in its own transaction as a
 * mutation would. Figures go to bench/results/audit.json; budget misses are reported, not failed.
 */

const CHAIN_LENGTH = 1_000_000;
const INSERT_BATCH = 5000;
const WRITER_COUNTS = [1, 8, 32];
const EVENTS_PER_WRITER = 250;
const DATABASE = 'pedigree_bench_audit';
const RESULTS_FILE = path.resolve(__dirname, '../../../../bench/results/audit.json');


/** Writes a valid chain straight into the table in batches, as the API would have over years. */
async function writeChain(url: string, projectId: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  let prevHash = GENESIS_HASH;
  const occurred = Date.parse('2026-01-01T00:00:00.000Z');
  try {
    for (let first = 1; first <= CHAIN_LENGTH; first += INSERT_BATCH) {
      const columns: unknown[][] = [[], [], [], [], [], [], []];
      for (let seq = first; seq < first + INSERT_BATCH && seq <= CHAIN_LENGTH; seq += 1) {
        const event: ChainedEvent = {
          seq, projectId, actorUserId: null, actorTokenId: null, actorRole: 'CONTRIBUTOR', action: 'run.metrics_logged', entityType: 'Run',
          entityId: `run-${seq % 5000}`, before: null, after: { points: 1000, keys: ['loss', 'val_auc'] }, comment: null, requestId: `bench-${seq}`,
          clientAddress: '127.0.0.1', userAgent: 'bench', occurredAt: new Date(occurred + seq * 1000).toISOString(),
        };
        const hash = chainHash(prevHash, event);
        [seq, event.entityId, JSON.stringify(event.after), event.requestId, event.occurredAt, prevHash, hash].forEach((value, index) => columns[index].push(value));
        prevHash = hash;
      }
      await client.query(
        `INSERT INTO audit_event (project_id, seq, actor_role, action, entity_type, entity_id, after, request_id, client_address, user_agent, occurred_at, prev_hash, hash)
         SELECT $1, s, 'CONTRIBUTOR', 'run.metrics_logged', 'Run', e, a::jsonb, r, '127.0.0.1', 'bench', o, p, h
           FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[]) AS t(s, e, a, r, o, p, h)`,
        [projectId, ...columns],
      );
    }
    await client.query('ANALYZE audit_event');
  } finally {
    await client.end();
  }
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const cleanups: Cleanup[] = [];
  try {
    const { url } = await startBenchDatabase(DATABASE, cleanups);
    const dataSource = createDataSource(url);
    await dataSource.initialize();
    cleanups.push(() => dataSource.destroy());
    await dataSource.runMigrations();
    const [{ id: chainProject }] = await dataSource.query(`INSERT INTO project (key, name) VALUES ('bench-chain', 'Bench chain') RETURNING id`);
    const [{ id: appendProject }] = await dataSource.query(`INSERT INTO project (key, name) VALUES ('bench-append', 'Bench append') RETURNING id`);

    console.log(`writing a chain of ${CHAIN_LENGTH.toLocaleString('en')} events…`);
    const writeSeconds = await writeChain(url, chainProject);
    const memoryBefore = process.memoryUsage().rss;
    const verifyStarted = performance.now();
    const report = await verifyChain(dataSource, chainProject);
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    const memoryGrowthMiB = (process.memoryUsage().rss - memoryBefore) / 2 ** 20;
    if (!report.valid || report.checkedEvents !== CHAIN_LENGTH) throw new Error(`the generated chain did not verify: ${JSON.stringify(report)}`);

    const appends = [];
    for (const writers of WRITER_COUNTS) {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: writers }, (_, writer) =>
          (async () => {
            for (let index = 0; index < EVENTS_PER_WRITER; index += 1) {
              await auditedTransaction(dataSource, async (manager) =>
                recordAudit(manager, null, { action: 'bench.appended', entityType: 'Bench', entityId: `${writer}-${index}`, projectId: appendProject }),
              );
            }
          })(),
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      appends.push({ writers, events: writers * EVENTS_PER_WRITER, seconds: Number(seconds.toFixed(2)), eventsPerSecond: Math.round((writers * EVENTS_PER_WRITER) / seconds) });
    }
    const appended = await verifyChain(dataSource, appendProject);
    if (!appended.valid) throw new Error(`the appended chain did not verify: ${JSON.stringify(appended)}`);

    const results = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded' },
      chain: { events: CHAIN_LENGTH, writeSeconds: Number(writeSeconds.toFixed(1)) },
      verify: { seconds: Number(verifySeconds.toFixed(1)), eventsPerSecond: Math.round(CHAIN_LENGTH / verifySeconds), memoryGrowthMiB: Number(memoryGrowthMiB.toFixed(0)), budget: { rule: 'verify 1,000,000 events in under 60 s', pass: verifySeconds < 60 } },
      appends,
      appendedChainValid: appended.valid,
    };
    console.table([{ case: 'verify 1,000,000 events', seconds: results.verify.seconds, 'events/s': results.verify.eventsPerSecond, 'RSS growth MiB': results.verify.memoryGrowthMiB }]);
    console.table(appends);
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error('cleanup failed:', error));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
