import type { Pool } from 'pg';
import { EDGES_AMONG_SQL, IMPACT_SQL, lineageSql } from '../src/modules/lineage/lineage.queries';
import { IMPACT_MAX_NODES, LINEAGE_ROW_CAP } from '../src/modules/lineage/lineage.service';

export interface Stats {
  calls: number;
  p50: number;
  p95: number;
  mean: number;
}

/** One benchmark case: the same question asked through GraphQL and as the API's raw SQL; each answers with a node count. */
export interface BenchCase {
  name: string;
  nodeId: string;
  raw(): Promise<number>;
  graphql(): Promise<number>;
}

export interface CaseResult {
  name: string;
  nodeId: string;
  nodes: number;
  raw: Stats;
  graphql: Stats;
}

export type GraphQLClient = (query: string, variables: Record<string, unknown>) => Promise<any>;

/** POSTs operations over HTTP as a client would; GraphQL errors are failures of the benchmark. */
export function graphqlClient(url: string, token: string | null): GraphQLClient {
  return async (query, variables) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors?.length || !body.data) throw new Error(`GraphQL errors (HTTP ${response.status}): ${JSON.stringify(body.errors)}`);
    return body.data;
  };
}

const TRACE = { depth: 100, limit: 1000 };
const IMPACT_PAGE = 20;

const LINEAGE_QUERY = `query Trace($id: ID!) {
  lineage(nodeId: $id, direction: UPSTREAM, depth: ${TRACE.depth}, limit: ${TRACE.limit}) {
    nodes { id kind label redacted depth } edges { from to relation } truncated
  }
}`;

const IMPACT_QUERY = `query Impact($id: ID!) {
  impact(nodeId: $id, first: ${IMPACT_PAGE}) {
    totalCount complete reachedNodes countsByStage { stage count } modelVersions { id version stage model { name } }
  }
}`;

/** An upstream trace: the walk and the edges among the kept nodes, both statements, as LineageService.lineage runs them. */
export function traceCase(name: string, nodeId: string, pool: Pool, gql: GraphQLClient): BenchCase {
  const walkSql = lineageSql(['UPSTREAM']);
  return {
    name,
    nodeId,
    async raw() {
      // The service walks one hop past the depth bound, to tell whether the bound cut anything off.
      // Both statements are named prepared statements, as the service sends them (preparedQuery).
      const { rows } = await pool.query({ name: 'bench_walk', text: walkSql, values: [nodeId, TRACE.depth + 1, null, LINEAGE_ROW_CAP, TRACE.limit] });
      const kept = rows.filter((row) => row.depth <= TRACE.depth).slice(0, TRACE.limit);
      await pool.query({ name: 'bench_edges_among', text: EDGES_AMONG_SQL, values: [kept.map((row) => row.id), null] });
      return kept.length;
    },
    async graphql() {
      return (await gql(LINEAGE_QUERY, { id: nodeId })).lineage.nodes.length;
    },
  };
}

/** IMPACT_SQL's parameters as LineageService.impact passes them: one page, plus a row that tells whether more follow. */
export const impactSqlParams = (nodeId: string, projectIds: string[]) => [nodeId, null, IMPACT_MAX_NODES, projectIds, 0, IMPACT_PAGE + 1];

/** The impact of a node: the walk, the counts by stage and one page of the affected versions. */
export function impactCase(name: string, nodeId: string, projectIds: string[], pool: Pool, gql: GraphQLClient): BenchCase {
  return {
    name,
    nodeId,
    async raw() {
      const { rows } = await pool.query(IMPACT_SQL, impactSqlParams(nodeId, projectIds));
      return rows[0].reachedNodes;
    },
    async graphql() {
      return (await gql(IMPACT_QUERY, { id: nodeId })).impact.reachedNodes;
    },
  };
}

/** Nearest-rank percentile of ascending samples. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summarize(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    calls: samples.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    mean: round(sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length),
  };
}

async function timed(call: () => Promise<number>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

/**
 * Sequential calls, raw and GraphQL interleaved (alternating which goes first) so that both see
 * the same cache and machine state; the warm-up also checks that both answer with as many nodes.
 */
export async function measure(benchCase: BenchCase, calls: number, warmup: number): Promise<CaseResult> {
  let nodes = 0;
  for (let i = 0; i < warmup; i += 1) {
    const [raw, graphql] = [await benchCase.raw(), await benchCase.graphql()];
    if (raw !== graphql) throw new Error(`${benchCase.name}: raw SQL found ${raw} nodes but GraphQL ${graphql}; the baseline no longer matches the API`);
    nodes = graphql;
  }
  const raw: number[] = [];
  const graphql: number[] = [];
  for (let i = 0; i < calls; i += 1) {
    if (i % 2 === 0) {
      raw.push(await timed(benchCase.raw));
      graphql.push(await timed(benchCase.graphql));
    } else {
      graphql.push(await timed(benchCase.graphql));
      raw.push(await timed(benchCase.raw));
    }
  }
  return { name: benchCase.name, nodeId: benchCase.nodeId, nodes, raw: summarize(raw), graphql: summarize(graphql) };
}
