import { randomUUID } from 'node:crypto';
import { isUUID } from 'class-validator';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { projectForRole } from '../../common/auth/project-access';
import type { Viewer } from '../../common/auth/viewer';
import { preparedQuery } from '../../common/database/prepared';
import { AppError, AppErrorCode, badInput, notFound } from '../../common/errors/app-error';
import { decodeCursor, encodeCursor, pageSize } from '../../common/pagination/connection';
import { CodeCommit } from '../commit/code-commit.entity';
import { DataVersion } from '../data-version/data-version.entity';
import { ModelVersion, Stage } from '../model/model.entity';
import { Run } from '../run/run.entity';
import { LineageEdge } from './lineage-edge.entity';
import { LineageDirection, type LineageGraph, type NodeMatch, type LineageGraphEdge, type LineageGraphNode, type StageCount } from './lineage.graph';
import { DISTANCE_SQL, EDGES_AMONG_SQL, EDGES_WITH_KINDS_SQL, IMPACT_SQL, PATH_NODES_SQL, UPSTREAM_NODES_SQL, type WalkDirection, completeWalk, lineageSql } from './lineage.queries';
import { LineageNode } from './lineage-node.entity';
import { DataRole, LineageRelation, NodeKind } from './lineage.types';

export interface NewEdge {
  srcId: string;
  dstId: string;
  relation: LineageRelation;
  role?: DataRole | null;
}

/** Creates the node row of a new lineage entity and returns its id, unique across all kinds. */
export async function createLineageNode(manager: EntityManager, kind: NodeKind, projectId: string): Promise<string> {
  const id = randomUUID();
  await manager.insert(LineageNode, { id, kind, projectId });
  return id;
}

/**
 * Appends edges, skipping ones already recorded, and refuses any edge that would close a cycle:
 * lineage is a DAG, so a new edge src->dst is a loop exactly when src is already downstream of dst.
 * One walk per distinct destination, so a run with a thousand inputs costs one query.
 */
export async function addLineageEdges(manager: EntityManager, projectId: string, edges: NewEdge[]): Promise<void> {
  if (edges.length === 0) return;
  const sourcesByDestination = new Map<string, string[]>();
  for (const edge of edges) {
    if (edge.srcId === edge.dstId) throw badInput(`A node cannot be its own input: ${edge.srcId} (${edge.relation})`);
    sourcesByDestination.set(edge.dstId, [...(sourcesByDestination.get(edge.dstId) ?? []), edge.srcId]);
  }
  for (const [dstId, srcIds] of sourcesByDestination) {
    const [loop] = await manager.query(
      `${completeWalk('DOWNSTREAM')} SELECT id FROM reached WHERE id = ANY($4::uuid[]) LIMIT 1`,
      // No cap: a missed loop would corrupt the graph for good, so this walk always completes.
      [dstId, null, Number.MAX_SAFE_INTEGER, srcIds],
    );
    if (loop) {
      throw badInput(`Linking ${loop.id} into ${dstId} would close a loop: ${loop.id} is already downstream of ${dstId}. Lineage must stay acyclic.`, { loop: [dstId, loop.id] });
    }
  }
  await manager
    .createQueryBuilder()
    .insert()
    .into(LineageEdge)
    .values(edges.map((edge) => ({ ...edge, role: edge.role ?? null, projectId })))
    .orIgnore()
    .execute();
}

/** Walk rows a bounded `lineage` walk may produce per direction before the answer says `truncated`. */
export const LINEAGE_ROW_CAP = 500_000;
/** Nodes an `impact` or `provenance` walk may visit; beyond it the answer says it is incomplete. */
export const IMPACT_MAX_NODES = 1_000_000;
export const LINEAGE_LIMITS = { depth: { default: 20, max: 100 }, nodes: { default: 500, max: 10_000 } };

interface NodeRow {
  id: string;
  kind: NodeKind;
  projectId: string;
  depth: number;
  label: string | null;
}

interface EdgeRow {
  from: string;
  to: string;
  relation: LineageRelation;
  role: DataRole | null;
}

function boundedInteger(name: string, value: number | null | undefined, limits: { default: number; max: number }, min = 1): number {
  const chosen = value ?? limits.default;
  if (!Number.isInteger(chosen) || chosen < min || chosen > limits.max) throw badInput(`${name} must be between ${min} and ${limits.max}`);
  return chosen;
}

/** The viewer sees a node's content only in projects they can read; elsewhere its kind and id. */
function toGraphNode(viewer: Viewer, row: NodeRow): LineageGraphNode {
  const redacted = !viewer.canRead(row.projectId);
  return { id: row.id, kind: row.kind, projectId: row.projectId, depth: row.depth, redacted, label: redacted ? 'hidden' : (row.label ?? row.id) };
}

function byIds<T extends { id: string }>(rows: T[], ids: string[]): T[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export class LineageService {
  constructor(private readonly dataSource: DataSource) {}

  async lineage(viewer: Viewer, nodeId: string, direction: LineageDirection, depth?: number | null, limit?: number | null, asOf?: Date | null): Promise<LineageGraph> {
    const maxDepth = boundedInteger('depth', depth, LINEAGE_LIMITS.depth, 0);
    const maxNodes = boundedInteger('limit', limit, LINEAGE_LIMITS.nodes);
    await this.startNode(viewer, nodeId, asOf);
    const directions: WalkDirection[] = direction === LineageDirection.BOTH ? ['UPSTREAM', 'DOWNSTREAM'] : [direction];
    // One hop past the bound shows whether the depth cut anything off; those nodes are not returned.
    const rows = await preparedQuery<NodeRow & { capped: boolean }>(this.dataSource, lineageSql(directions), [nodeId, maxDepth + 1, asOf ?? null, LINEAGE_ROW_CAP, maxNodes]);
    const kept = rows.filter((row) => row.depth <= maxDepth).slice(0, maxNodes);
    return {
      nodes: kept.map((row) => toGraphNode(viewer, row)),
      edges: await this.edgesAmong(kept.map((row) => row.id), asOf),
      truncated: rows.length > kept.length || rows.some((row) => row.capped),
    };
  }

  async impact(viewer: Viewer, nodeId: string, asOf: Date | null | undefined, first: number | null | undefined, after: string | null | undefined, maxNodes?: number | null) {
    const size = pageSize(first);
    const walkCap = boundedInteger('maxNodes', maxNodes, { default: IMPACT_MAX_NODES, max: IMPACT_MAX_NODES });
    const [offset] = after ? decodeCursor(after) : [0];
    if (!Number.isInteger(offset) || (offset as number) < 0) throw badInput('after is not an impact cursor; pass pageInfo.endCursor unchanged');
    await this.startNode(viewer, nodeId, asOf);
    const [row]: Array<{ reachedNodes: number; hiddenCount: number; countsByStage: StageCount[]; pageIds: string[] }> = await this.dataSource.query(IMPACT_SQL, [
      nodeId,
      asOf ?? null,
      walkCap,
      viewer.readableProjectIds,
      offset,
      size + 1,
    ]);
    const pageIds = row.pageIds.slice(0, size);
    const versions = pageIds.length ? await this.dataSource.getRepository(ModelVersion).findBy({ id: In(pageIds) }) : [];
    const complete = row.reachedNodes < walkCap;
    const counts = new Map(row.countsByStage.map((count) => [count.stage, count.count]));
    return {
      modelVersions: byIds(versions, pageIds),
      totalCount: [...counts.values()].reduce((sum, count) => sum + count, 0),
      countsByStage: Object.values(Stage).map((stage) => ({ stage, count: counts.get(stage) ?? 0 })),
      hiddenCount: row.hiddenCount,
      reachedNodes: row.reachedNodes,
      complete,
      incompleteReason: complete ? null : `The walk stopped after ${walkCap} nodes; pass a larger maxNodes (at most ${IMPACT_MAX_NODES}) for the full answer.`,
      pageInfo: { hasNextPage: row.pageIds.length > size, endCursor: pageIds.length ? encodeCursor([(offset as number) + pageIds.length]) : null },
    };
  }

  async provenance(viewer: Viewer, modelVersionId: string, asOf?: Date | null) {
    const start = await this.startNode(viewer, modelVersionId, asOf);
    if (start.kind !== NodeKind.ModelVersion) throw badInput(`${modelVersionId} is a ${start.kind}, not a model version`);
    const nodes: Array<{ id: string; kind: NodeKind; projectId: string }> = await this.dataSource.query(UPSTREAM_NODES_SQL, [modelVersionId, asOf ?? null, IMPACT_MAX_NODES]);
    const visible = nodes.filter((node) => viewer.canRead(node.projectId));
    const idsOf = (kind: NodeKind) => visible.filter((node) => node.kind === kind).map((node) => node.id);
    const edges: Array<EdgeRow & { fromKind: NodeKind; toKind: NodeKind }> = await this.dataSource.query(EDGES_WITH_KINDS_SQL, [nodes.map((node) => node.id), asOf ?? null]);
    const repository = <T extends { id: string }>(entity: new () => T, ids: string[]) =>
      ids.length ? this.dataSource.getRepository(entity).findBy({ id: In(ids) } as never).then((rows) => byIds(rows as T[], ids)) : Promise.resolve([] as T[]);
    const [commits, dataVersions, runs, modelVersions] = await Promise.all([
      repository(CodeCommit, idsOf(NodeKind.CodeCommit)),
      repository(DataVersion, idsOf(NodeKind.DataVersion)),
      repository(Run, idsOf(NodeKind.Run)),
      repository(ModelVersion, idsOf(NodeKind.ModelVersion)),
    ]);
    const modelVersion = modelVersions.find((version) => version.id === modelVersionId) as ModelVersion;
    const sourceRun = runs.find((run) => run.id === modelVersion.runId) as Run;
    const runById = new Map(runs.map((run) => [run.id, run]));
    const dataById = new Map(dataVersions.map((data) => [data.id, data]));
    const inputs = edges
      .filter((edge) => edge.relation === LineageRelation.CONSUMED && edge.fromKind === NodeKind.DataVersion && runById.has(edge.to) && dataById.has(edge.from))
      .map((edge) => ({ run: runById.get(edge.to) as Run, dataVersion: dataById.get(edge.from) as DataVersion, role: edge.role ?? DataRole.OTHER }));
    const missing = provenanceGaps({ sourceRun, runs, commits, dataVersions, edges, hidden: nodes.length - visible.length });
    if (nodes.length >= IMPACT_MAX_NODES) missing.push(`the upstream walk stopped after ${IMPACT_MAX_NODES} nodes`);
    return {
      modelVersion,
      sourceRun,
      commits,
      dataVersions,
      inputs,
      runs: [sourceRun, ...runs.filter((run) => run !== sourceRun)],
      baseModelVersions: modelVersions.filter((version) => version.id !== modelVersionId),
      entrypoint: sourceRun.entrypoint,
      environment: sourceRun.environment,
      complete: missing.length === 0,
      missing,
    };
  }

  /** One shortest path between two nodes, following edges either way round, or null when none joins them. */
  async explainPath(viewer: Viewer, fromId: string, toId: string): Promise<LineageGraph | null> {
    await this.startNode(viewer, fromId, null);
    await this.startNode(viewer, toId, null);
    for (const [source, target] of [[fromId, toId], [toId, fromId]]) {
      const [found]: Array<{ depth: number }> = await this.dataSource.query(DISTANCE_SQL, [source, LINEAGE_LIMITS.depth.max, null, target]);
      if (!found) continue;
      const rows: NodeRow[] = await this.dataSource.query(PATH_NODES_SQL, [source, found.depth, null, target]);
      const edges = await this.edgesAmong(rows.map((row) => row.id), null);
      const path = pickPath(rows, edges, source, target);
      return {
        nodes: path.nodes.map((row) => toGraphNode(viewer, row)),
        edges: path.edges,
        truncated: false,
      };
    }
    return null;
  }

  /** Nodes a person can name: a commit by sha prefix, data by hash prefix, a run or model by name, anything by id. */
  async findNodes(viewer: Viewer, project: string, text: string, first: number | null | undefined): Promise<NodeMatch[]> {
    const needle = text.trim();
    if (needle.length < 2 || needle.length > 200) throw badInput('text must be 2 to 200 characters');
    const limit = Math.min(Math.max(first ?? 20, 1), 100);
    const { id: projectId } = await projectForRole(this.dataSource.manager, viewer, project, 'VIEWER');
    const prefix = `${needle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const hexPrefix = /^[0-9a-f]{4,}/i.test(needle);
    return this.dataSource.query(
      `SELECT id, kind, label FROM (
         SELECT c.id, 'CodeCommit' AS kind, c.repository || '@' || left(c.sha, 7) AS label, 1 AS rank FROM code_commit c WHERE c.project_id = $1 AND $3 AND c.sha LIKE $2
         UNION ALL
         SELECT dv.id, 'DataVersion', ds.name || '@' || left(dv.content_hash, 8), 2 FROM data_version dv JOIN dataset ds ON ds.id = dv.dataset_id WHERE dv.project_id = $1 AND $3 AND dv.content_hash LIKE $2
         UNION ALL
         SELECT r.id, 'Run', r.name, 3 FROM run r WHERE r.project_id = $1 AND (lower(r.name) LIKE $2 OR r.id::text = $4)
         UNION ALL
         SELECT mv.id, 'ModelVersion', rm.name || ' v' || mv.version, 4 FROM model_version mv JOIN registered_model rm ON rm.id = mv.model_id
          WHERE mv.project_id = $1 AND (lower(rm.name) LIKE $2 OR mv.id::text = $4)
       ) found ORDER BY rank, label LIMIT $5`,
      [projectId, prefix, hexPrefix, needle.toLowerCase(), limit],
    );
  }

  private edgesAmong(ids: string[], asOf: Date | null | undefined): Promise<LineageGraphEdge[]> {
    return preparedQuery<LineageGraphEdge>(this.dataSource, EDGES_AMONG_SQL, [ids, asOf ?? null]);
  }

  /** The node a query starts from: it must exist (by `asOf`, when given) in a project the viewer reads. */
  private async startNode(viewer: Viewer, id: string, asOf: Date | null | undefined): Promise<{ kind: NodeKind; projectId: string }> {
    const [node]: Array<{ kind: NodeKind; projectId: string; createdAt: Date }> = isUUID(id)
      ? await preparedQuery(this.dataSource, `SELECT kind, project_id AS "projectId", created_at AS "createdAt" FROM lineage_node WHERE id = $1`, [id])
      : [];
    if (!node || !viewer.canRead(node.projectId)) throw notFound(`Node ${id}`);
    if (asOf && node.createdAt > asOf) throw new AppError(AppErrorCode.NOT_FOUND, `Node ${id} was recorded at ${node.createdAt.toISOString()}, after asOf ${asOf.toISOString()}`);
    return node;
  }
}

/** Walks the shortest-path subgraph from source to target one hop at a time, taking the first edge on. */
function pickPath(rows: NodeRow[], edges: LineageGraphEdge[], source: string, target: string): { nodes: NodeRow[]; edges: LineageGraphEdge[] } {
  const depthOf = new Map(rows.map((row) => [row.id, row.depth]));
  const rowOf = new Map(rows.map((row) => [row.id, row]));
  const nodes = [rowOf.get(source) as NodeRow];
  const pathEdges: LineageGraphEdge[] = [];
  let current = source;
  while (current !== target) {
    const step = edges.find((edge) => edge.from === current && depthOf.get(edge.to) === (depthOf.get(current) as number) + 1) as LineageGraphEdge;
    pathEdges.push(step);
    current = step.to;
    nodes.push(rowOf.get(current) as NodeRow);
  }
  return { nodes, edges: pathEdges };
}

/** What a provenance record lacks, in words an auditor can act on. */
function provenanceGaps(record: {
  sourceRun: Run;
  runs: Run[];
  commits: CodeCommit[];
  dataVersions: DataVersion[];
  edges: Array<EdgeRow & { fromKind: NodeKind; toKind: NodeKind }>;
  hidden: number;
}): string[] {
  const into = (id: string, relation: LineageRelation, fromKind?: NodeKind) =>
    record.edges.filter((edge) => edge.to === id && edge.relation === relation && (!fromKind || edge.fromKind === fromKind));
  const missing: string[] = [];
  for (const run of record.runs) {
    if (into(run.id, LineageRelation.BUILT_FROM).length === 0) missing.push(`run "${run.name}" (${run.id}) has no commit`);
  }
  for (const commit of record.commits) {
    if (commit.dirty) missing.push(`commit ${commit.sha.slice(0, 12)} of ${commit.repository} was dirty: the code that ran is not exactly that commit`);
  }
  const training = into(record.sourceRun.id, LineageRelation.CONSUMED, NodeKind.DataVersion);
  if (training.length === 0) missing.push(`no training data recorded for run "${record.sourceRun.name}" (${record.sourceRun.id})`);
  for (const data of record.dataVersions) {
    for (const producer of into(data.id, LineageRelation.PRODUCED)) {
      if (into(producer.from, LineageRelation.CONSUMED).length === 0) {
        missing.push(`data version ${data.contentHash} (${data.id}) derived from unrecorded data: its producing run ${producer.from} recorded no inputs`);
      }
    }
  }
  if (record.hidden > 0) missing.push(`${record.hidden} upstream node${record.hidden === 1 ? ' is' : 's are'} in projects you cannot read`);
  return missing;
}
