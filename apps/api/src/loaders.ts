import { isUUID } from 'class-validator';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { entityReader, rowsByIdLoader, rowsGroupedLoader } from './common/loaders';
import { CodeCommit } from './modules/commit/code-commit.entity';
import { DataVersion, Dataset } from './modules/data-version/data-version.entity';
import { ModelAlias, StageChange, TransitionRequest, TransitionReview } from './modules/governance/governance.entity';
import { type DataRole, type LineageRelation, NodeKind } from './modules/lineage/lineage.types';
import { ModelVersion, RegisteredModel } from './modules/model/model.entity';
import { ProjectMember } from './modules/project/project-member.entity';
import { Project } from './modules/project/project.entity';
import { Experiment, type Metric, Run, RunArtifact, RunParam, RunTag } from './modules/run/run.entity';
import { User } from './modules/user/user.entity';

/** An edge seen from one end, with the kind of the node at the other end. */
export interface LinkedEdge {
  nodeId: string;
  otherId: string;
  otherKind: NodeKind;
  relation: LineageRelation;
  role: DataRole | null;
}

function edgesLoader(dataSource: DataSource, direction: 'incoming' | 'outgoing') {
  const [near, far] = direction === 'incoming' ? ['dst_id', 'src_id'] : ['src_id', 'dst_id'];
  return rowsGroupedLoader<LinkedEdge>(
    (nodeIds) =>
      dataSource.query(
        `SELECT e.${near} AS "nodeId", e.${far} AS "otherId", n.kind AS "otherKind", e.relation, e.role
           FROM lineage_edge e JOIN lineage_node n ON n.id = e.${far}
          WHERE e.${near} = ANY($1::uuid[])
          ORDER BY e.created_at, e.${far}`,
        [nodeIds],
      ),
    (edge) => edge.nodeId,
  );
}

export function createLoaders(dataSource: DataSource) {
  return {
    userById: rowsByIdLoader(dataSource, User),
    projectById: rowsByIdLoader(dataSource, Project),
    commitById: rowsByIdLoader(dataSource, CodeCommit),
    datasetById: rowsByIdLoader(dataSource, Dataset),
    dataVersionById: rowsByIdLoader(dataSource, DataVersion),
    experimentById: rowsByIdLoader(dataSource, Experiment),
    runById: rowsByIdLoader(dataSource, Run),
    registeredModelById: rowsByIdLoader(dataSource, RegisteredModel),
    modelVersionById: rowsByIdLoader(dataSource, ModelVersion),
    paramsByRunId: rowsGroupedLoader(
      entityReader(dataSource, RunParam, 'runId', { key: 'ASC' }),
      (param) => param.runId,
    ),
    tagsByRunId: rowsGroupedLoader(
      entityReader(dataSource, RunTag, 'runId', { key: 'ASC' }),
      (tag) => tag.runId,
    ),
    artifactsByRunId: rowsGroupedLoader(
      entityReader(dataSource, RunArtifact, 'runId', { path: 'ASC' }),
      (artifact) => artifact.runId,
    ),
    /** The latest point of each metric key: highest step, then latest timestamp. */
    latestMetricsByRunId: rowsGroupedLoader<Metric & { runId: string }>(
      async (runIds) =>
        (
          await dataSource.query(
            `SELECT run_id AS "runId", key, value, step, timestamp FROM run_metric_latest WHERE run_id = ANY($1::uuid[]) ORDER BY run_id, key`,
            [runIds],
          )
        ).map((row: Metric & { runId: string; step: string }) => ({ ...row, step: Number(row.step) })),
      (metric) => metric.runId,
    ),
    /** Keys are JSON `[runId, metricKey]`; one query serves every run's history of a key. */
    metricHistoryByRunAndKey: rowsGroupedLoader<Metric & { lookup: string }>(
      async (lookups) => {
        const pairs = lookups.map((lookup) => JSON.parse(lookup) as [string, string]).filter(([runId]) => isUUID(runId));
        const rows: Array<Metric & { runId: string; step: string }> = await dataSource.query(
          `SELECT m.run_id AS "runId", m.key, m.value, m.step, m.timestamp
             FROM metric_point m JOIN unnest($1::uuid[], $2::text[]) AS wanted(run_id, key) USING (run_id, key)
            ORDER BY m.run_id, m.key, m.step, m.timestamp`,
          [pairs.map(([runId]) => runId), pairs.map(([, key]) => key)],
        );
        return rows.map((row) => ({ ...row, step: Number(row.step), lookup: JSON.stringify([row.runId, row.key]) }));
      },
      (metric) => metric.lookup,
    ),
    childRunsByRunId: rowsGroupedLoader(
      entityReader(dataSource, Run, 'parentRunId', { startedAt: 'ASC' }),
      (run) => run.parentRunId as string,
    ),
    versionsByModelId: rowsGroupedLoader(
      entityReader(dataSource, ModelVersion, 'modelId', { version: 'DESC' }),
      (version) => version.modelId,
    ),
    versionsByRunId: rowsGroupedLoader(
      entityReader(dataSource, ModelVersion, 'runId', { createdAt: 'ASC' }),
      (version) => version.runId,
    ),
    membersByProjectId: rowsGroupedLoader(
      entityReader(dataSource, ProjectMember, 'projectId', { createdAt: 'ASC' }),
      (member) => member.projectId,
    ),
    modelsByProjectId: rowsGroupedLoader(
      entityReader(dataSource, RegisteredModel, 'projectId', { name: 'ASC' }),
      (model) => model.projectId,
    ),
    nodeKindById: new DataLoader<string, NodeKind | null>(async (ids) => {
      const wellFormed = ids.filter((id) => isUUID(id));
      const rows: Array<{ id: string; kind: NodeKind }> = await dataSource.query(`SELECT id, kind FROM lineage_node WHERE id = ANY($1::uuid[])`, [wellFormed]);
      const kinds = new Map(rows.map((row) => [row.id, row.kind]));
      return ids.map((id) => kinds.get(id) ?? null);
    }),
    transitionRequestById: rowsByIdLoader(dataSource, TransitionRequest),
    reviewsByRequestId: rowsGroupedLoader(
      entityReader(dataSource, TransitionReview, 'requestId', { createdAt: 'ASC' }),
      (review) => review.requestId,
    ),
    stageChangesByVersionId: rowsGroupedLoader(
      entityReader(dataSource, StageChange, 'modelVersionId', { id: 'ASC' }),
      (change) => change.modelVersionId,
    ),
    aliasesByVersionId: rowsGroupedLoader(
      entityReader(dataSource, ModelAlias, 'modelVersionId', { alias: 'ASC' }),
      (alias) => alias.modelVersionId,
    ),
    aliasesByModelId: rowsGroupedLoader(
      entityReader(dataSource, ModelAlias, 'modelId', { alias: 'ASC' }),
      (alias) => alias.modelId,
    ),
    versionsByDigest: rowsGroupedLoader(
      entityReader(dataSource, ModelVersion, 'artifactDigest', { createdAt: 'ASC' }),
      (version) => version.artifactDigest,
    ),
    incomingEdgesByNodeId: edgesLoader(dataSource, 'incoming'),
    outgoingEdgesByNodeId: edgesLoader(dataSource, 'outgoing'),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** The loader of a lineage node's own row, by its kind. */
export function nodeLoaderOfKind(loaders: Loaders, kind: NodeKind) {
  return {
    [NodeKind.CodeCommit]: loaders.commitById,
    [NodeKind.DataVersion]: loaders.dataVersionById,
    [NodeKind.Run]: loaders.runById,
    [NodeKind.ModelVersion]: loaders.modelVersionById,
  }[kind];
}
