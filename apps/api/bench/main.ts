import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import { createDataSource } from '../src/data-source';
import { IMPACT_SQL } from '../src/modules/lineage/lineage.queries';
import { UserService } from '../src/modules/user/user.service';
import { startServer } from '../src/server';
import { type Probe, generateLineageGraph } from './generate-lineage';
import { type BenchCase, type CaseResult, graphqlClient, impactCase, impactSqlParams, measure, traceCase } from './measure';
import { loadAverage, machineInfo, startBenchDatabase } from './bench-database';

/**
 * `npm run bench:lineage`: a 1,000,000-node lineage graph, then each lineage question asked through
 * the GraphQL API over HTTP and as the API's own SQL, side by side, against DESIGN.md's budgets.
 * Budget misses are reported, not failed: only errors make the exit code non-zero.
 */

const TOTAL_NODES = 1_000_000;
const CALLS = 100;
const WARMUP = 5;
const BENCH_DATABASE = 'pedigree_bench';
const USER = { email: 'bench@pedigree.local', password: 'bench-password-1' };
/** bench/results at the repository root; this file runs from apps/api/dist-bench/bench. */
const RESULTS_FILE = path.resolve(__dirname, '../../../../bench/results/lineage.json');

/** What was started, stopped in reverse order whatever happens. */
const cleanups: Array<() => Promise<unknown>> = [];

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch((error) => console.error('cleanup failed:', error));
  }
}


const ms = (value: number) => `${value.toFixed(1)} ms`;

/** DESIGN.md "Performance budgets", checked on p50. */
interface Budget {
  rule: string;
  met(result: CaseResult): boolean;
}
const TRACE_BUDGET: Budget = { rule: 'trace of up to 1,000 nodes: GraphQL p50 <= raw p50 + 10 ms', met: (result) => result.graphql.p50 <= result.raw.p50 + 10 };
const HUB_BUDGET: Budget = { rule: 'hub impact: GraphQL p50 <= 1.5 x raw p50', met: (result) => result.graphql.p50 <= 1.5 * result.raw.p50 };

interface Measured extends CaseResult {
  budget: { rule: string; pass: boolean } | null;
}

function printTable(results: Measured[]): void {
  const header = ['case', 'nodes', 'raw p50', 'raw p95', 'GraphQL p50', 'GraphQL p95', 'overhead p50', 'ratio', 'budget'];
  const rows = results.map((result) => [
    result.name,
    String(result.nodes),
    ms(result.raw.p50),
    ms(result.raw.p95),
    ms(result.graphql.p50),
    ms(result.graphql.p95),
    ms(result.graphql.p50 - result.raw.p50),
    `${(result.graphql.p50 / result.raw.p50).toFixed(2)}x`,
    result.budget ? (result.budget.pass ? 'pass' : 'MISS') : '-',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((width, column) => (column === 0 ? ':' : '-') + '-'.repeat(width) + (column === 0 ? '-' : ':')).join('|')}|`);
  rows.forEach((row) => console.log(line(row)));
  console.log('nodes: returned by a trace, reached by an impact walk; overhead and ratio compare the p50s');
}

async function main(): Promise<void> {
  const started = performance.now();
  const database = await startBenchDatabase(BENCH_DATABASE, cleanups);
  const dataSource = createDataSource(database.url);
  await dataSource.initialize();
  cleanups.push(() => dataSource.destroy());
  await dataSource.runMigrations({ transaction: 'each' });
  await new UserService(dataSource).ensureFirstAdmin(USER.email, USER.password);
  const [{ id: userId }] = await dataSource.query(`SELECT id FROM app_user WHERE email = $1`, [USER.email]);

  const pool = new Pool({ connectionString: database.url });
  // pool.end() resolves before its connections have closed, so one may still hear of the server's
  // shutdown at clean-up; without a listener that would crash the process. Failed queries reject anyway.
  pool.on('error', (error) => console.error('idle benchmark connection:', error.message));
  cleanups.push(() => pool.end());
  console.log(`Generating ${TOTAL_NODES.toLocaleString('en')} lineage nodes (${database.where} PostgreSQL):`);
  const client = await pool.connect();
  const graph = await generateLineageGraph(client, { totalNodes: TOTAL_NODES, userId }).finally(() => client.release());
  const nodes = Object.values(graph.nodesByKind).reduce((sum, n) => sum + n, 0);
  const edges = Object.values(graph.edgesByRelation).reduce((sum, n) => sum + n, 0);
  console.log(`Generated ${nodes} nodes and ${edges} edges in ${graph.seconds.toFixed(1)} s`);
  console.log(`  nodes: ${JSON.stringify(graph.nodesByKind)}\n  edges: ${JSON.stringify(graph.edgesByRelation)}`);
  const { typicalModel, deepModel, hubDataVersion, leafDataVersion } = graph.probes;
  const reach = (probe: Probe, direction: string) => `${probe.reach} node${probe.reach === 1 ? '' : 's'} ${direction} (itself included)`;
  console.log(`  typical model ${typicalModel.id}: ${reach(typicalModel, 'upstream')}`);
  console.log(`  deep model ${deepModel.id}: ${reach(deepModel, 'upstream')}`);
  console.log(`  hub data version ${hubDataVersion.id}: consumed by ${graph.hubConsumers} runs, ${reach(hubDataVersion, 'downstream')}`);
  console.log(`  leaf data version ${leafDataVersion.id}: ${reach(leafDataVersion, 'downstream')}`);

  // Hundreds of traces a minute from one token exceed the default per-token query budget; the
  // bench measures latency, not the budget (bench:api reports what the default allows).
  process.env.PEDIGREE_GRAPHQL_COST_PER_MINUTE ??= String(Number.MAX_SAFE_INTEGER);
  const server = await startServer(dataSource, { secret: 'bench-secret-that-is-long-enough-0123456789', sessionHours: 1 }, 0);
  cleanups.push(() => server.stop());
  const login = await graphqlClient(server.url, null)(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: USER.email, p: USER.password });
  const gql = graphqlClient(server.url, login.login.token);

  const cases: Array<[BenchCase, Budget | null]> = [
    [traceCase('trace typical model', typicalModel.id, pool, gql), TRACE_BUDGET],
    [traceCase('trace deep model', deepModel.id, pool, gql), TRACE_BUDGET],
    [impactCase('impact hub', hubDataVersion.id, graph.projectIds, pool, gql), HUB_BUDGET],
    [impactCase('impact leaf', leafDataVersion.id, graph.projectIds, pool, gql), null],
  ];
  const results: Measured[] = [];
  for (const [benchCase, budget] of cases) {
    const caseStarted = performance.now();
    const result = await measure(benchCase, CALLS, WARMUP);
    results.push({ ...result, budget: budget && { rule: budget.rule, pass: budget.met(result) } });
    console.log(`Measured ${benchCase.name}: ${CALLS} calls each way in ${((performance.now() - caseStarted) / 1000).toFixed(1)} s`);
  }
  console.log();
  printTable(results);

  const plan = (await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${IMPACT_SQL}`, impactSqlParams(hubDataVersion.id, graph.projectIds))).rows
    .map((row) => row['QUERY PLAN'] as string)
    .join('\n');
  console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of the hub impact query:\n${plan}`);

  const [{ server_version: postgres }] = (await pool.query(`SHOW server_version`)).rows;
  const report = {
    measuredAt: new Date().toISOString(),
    machine: {
      ...machineInfo(postgres, database.where),
      loadAverage: loadAverage(),
    },
    graph: { nodes, edges, nodesByKind: graph.nodesByKind, edgesByRelation: graph.edgesByRelation, hubConsumers: graph.hubConsumers, probes: graph.probes, generationSeconds: Math.round(graph.seconds * 10) / 10 },
    cases: results.map((result) => ({
      ...result,
      overheadP50Ms: Math.round((result.graphql.p50 - result.raw.p50) * 100) / 100,
      ratioP50: Math.round((result.graphql.p50 / result.raw.p50) * 100) / 100,
    })),
    hubImpactPlan: plan,
    totalSeconds: Math.round((performance.now() - started) / 1000),
  };
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nWrote ${path.relative(process.cwd(), RESULTS_FILE)}; total ${report.totalSeconds} s`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}
main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanUp);
