import { isUUID } from 'class-validator';
import DataLoader from 'dataloader';
import { types } from 'pg';
import type { DataSource } from 'typeorm';
import { preparedQuery } from './common/database/prepared';
import { rowsByColumnLoader, rowsByIdLoader, rowsGroupedLoader } from './common/loaders';
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
      preparedQuery<LinkedEdge>(
        dataSource,
        `SELECT e.${near} AS "nodeId", e.${far} AS "otherId", n.kind AS "otherKind", e.relation, e.role
           FROM lineage_edge e JOIN lineage_node n ON n.id = e.${far}
          WHERE e.${near} = ANY($1::uuid[])
          ORDER BY e.created_at, e.${far}`,
        [nodeIds],
      ),
    (edge) => edge.nodeId,
  );
}

const parseTimestamptz: (text: string) => Date = types.getTypeParser(types.builtins.TIMESTAMPTZ);

/**
 * A metric point as read. Its timestamp is parsed (by pg's own parser) only when a client asks for
 * it: most reads, such as a page of latest values, do not, and parsing them showed in the profile.
 */
class MetricPoint implements Metric {
  readonly step: number;

  constructor(
    readonly runId: string,
    readonly key: string,
    readonly value: number,
    step: string,
    private readonly timestampText: string,
  ) {
    this.step = Number(step);
  }

  get timestamp(): Date {
    return parseTimestamptz(this.timestampText);
  }
}

interface MetricRow {
  runId: string;
  key: string;
  value: number;
  step: string;
  timestamp: string;
}

const metricPoint = (row: MetricRow) => new MetricPoint(row.runId, row.key, row.value, row.step, row.timestamp);

/** How each loader is made; `createLoaders` makes one only when a request first asks for it. */
const loaderFactories = {
  userById: (dataSource: DataSource) => rowsByIdLoader(dataSource, User),
  projectById: (dataSource: DataSource) => rowsByIdLoader(dataSource, Project),
  commitById: (dataSource: DataSource) => rowsByIdLoader(dataSource, CodeCommit),
  datasetById: (dataSource: DataSource) => rowsByIdLoader(dataSource, Dataset),
  dataVersionById: (dataSource: DataSource) => rowsByIdLoader(dataSource, DataVersion),
  experimentById: (dataSource: DataSource) => rowsByIdLoader(dataSource, Experiment),
  runById: (dataSource: DataSource) => rowsByIdLoader(dataSource, Run),
  registeredModelById: (dataSource: DataSource) => rowsByIdLoader(dataSource, RegisteredModel),
  modelVersionById: (dataSource: DataSource) => rowsByIdLoader(dataSource, ModelVersion),
  paramsByRunId: (dataSource: DataSource) => rowsByColumnLoader(dataSource, RunParam, 'runId', { key: 'ASC' }),
  tagsByRunId: (dataSource: DataSource) => rowsByColumnLoader(dataSource, RunTag, 'runId', { key: 'ASC' }),
  artifactsByRunId: (dataSource: DataSource) => rowsByColumnLoader(dataSource, RunArtifact, 'runId', { path: 'ASC' }),
  /** The latest point of each metric key: highest step, then latest timestamp. */
  latestMetricsByRunId: (dataSource: DataSource) => rowsGroupedLoader<MetricPoint>(
    async (runIds) =>
      (
        await preparedQuery<MetricRow>(
          dataSource,
          `SELECT run_id AS "runId", key, value, step, timestamp::text AS timestamp FROM run_metric_latest WHERE run_id = ANY($1::uuid[]) ORDER BY run_id, key`,
          [runIds],
        )
      ).map(metricPoint),
    (metric) => metric.runId,
  ),
  /** Keys are JSON `[runId, metricKey]`; one query serves every run's history of a key. */
  metricHistoryByRunAndKey: (dataSource: DataSource) => rowsGroupedLoader<MetricPoint>(
    async (lookups) => {
      const pairs = lookups.map((lookup) => JSON.parse(lookup) as [string, string]).filter(([runId]) => isUUID(runId));
      const rows = await preparedQuery<MetricRow>(
        dataSource,
        `SELECT m.run_id AS "runId", m.key, m.value, m.step, m.timestamp::text AS timestamp
           FROM metric_point m JOIN unnest($1::uuid[], $2::text[]) AS wanted(run_id, key) USING (run_id, key)
          ORDER BY m.run_id, m.key, m.step, m.timestamp`,
        [pairs.map(([runId]) => runId), pairs.map(([, key]) => key)],
      );
      return rows.map(metricPoint);
    },
    (metric) => JSON.stringify([metric.runId, metric.key]),
  ),
  childRunsByRunId: (dataSource: DataSource) => rowsByColumnLoader(dataSource, Run, 'parentRunId', { startedAt: 'ASC' }),
  versionsByModelId: (dataSource: DataSource) => rowsByColumnLoader(dataSource, ModelVersion, 'modelId', { version: 'DESC' }),
  versionsByRunId: (dataSource: DataSource) => rowsByColumnLoader(dataSource, ModelVersion, 'runId', { createdAt: 'ASC' }),
  membersByProjectId: (dataSource: DataSource) => rowsByColumnLoader(dataSource, ProjectMember, 'projectId', { createdAt: 'ASC' }),
  modelsByProjectId: (dataSource: DataSource) => rowsByColumnLoader(dataSource, RegisteredModel, 'projectId', { name: 'ASC' }),
  nodeKindById: (dataSource: DataSource) => new DataLoader<string, NodeKind | null>(async (ids) => {
    const wellFormed = ids.filter((id) => isUUID(id));
    const rows = await preparedQuery<{ id: string; kind: NodeKind }>(dataSource, `SELECT id, kind FROM lineage_node WHERE id = ANY($1::uuid[])`, [wellFormed]);
    const kinds = new Map(rows.map((row) => [row.id, row.kind]));
    return ids.map((id) => kinds.get(id) ?? null);
  }),
  transitionRequestById: (dataSource: DataSource) => rowsByIdLoader(dataSource, TransitionRequest),
  reviewsByRequestId: (dataSource: DataSource) => rowsByColumnLoader(dataSource, TransitionReview, 'requestId', { createdAt: 'ASC' }),
  stageChangesByVersionId: (dataSource: DataSource) => rowsByColumnLoader(dataSource, StageChange, 'modelVersionId', { id: 'ASC' }),
  aliasesByVersionId: (dataSource: DataSource) => rowsByColumnLoader(dataSource, ModelAlias, 'modelVersionId', { alias: 'ASC' }),
  aliasesByModelId: (dataSource: DataSource) => rowsByColumnLoader(dataSource, ModelAlias, 'modelId', { alias: 'ASC' }),
  versionsByDigest: (dataSource: DataSource) => rowsByColumnLoader(dataSource, ModelVersion, 'artifactDigest', { createdAt: 'ASC' }),
  incomingEdgesByNodeId: (dataSource: DataSource) => edgesLoader(dataSource, 'incoming'),
  outgoingEdgesByNodeId: (dataSource: DataSource) => edgesLoader(dataSource, 'outgoing'),
};

export type Loaders = { readonly [Name in keyof typeof loaderFactories]: ReturnType<(typeof loaderFactories)[Name]> };

/**
 * A request's loaders, each made at its first use: a request reads through a few of them, and
 * making all thirty for every request showed in the API's profile.
 */
class RequestLoaders {
  constructor(readonly dataSource: DataSource) {}
}
for (const [name, make] of Object.entries(loaderFactories)) {
  Object.defineProperty(RequestLoaders.prototype, name, {
    get(this: RequestLoaders) {
      const loader = make(this.dataSource);
      Object.defineProperty(this, name, { value: loader });
      return loader;
    },
  });
}

export function createLoaders(dataSource: DataSource): Loaders {
  return new RequestLoaders(dataSource) as unknown as Loaders;
}

/** The loader of a lineage node's own row, by its kind. */
export function nodeLoaderOfKind(loaders: Loaders, kind: NodeKind) {
  switch (kind) {
    case NodeKind.CodeCommit:
      return loaders.commitById;
    case NodeKind.DataVersion:
      return loaders.dataVersionById;
    case NodeKind.Run:
      return loaders.runById;
    case NodeKind.ModelVersion:
      return loaders.modelVersionById;
  }
}
