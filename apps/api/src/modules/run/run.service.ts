import type { ClientBase } from 'pg';
import type { DataSource } from 'typeorm';
import { projectForRole, rowForRole, rowsForRole } from '../../common/auth/project-access';
import type { Viewer } from '../../common/auth/viewer';
import { copyRows, transactionClient } from '../../common/database/copy';
import { lockKey } from '../../common/database/locks';
import { AppError, AppErrorCode, badInput, conflict } from '../../common/errors/app-error';
import { LIMITS } from '../../common/validation/limits';
import { ArtifactKind, parseArtifactKind } from '../artifact/artifact.types';
import { auditedTransaction, recordAudit } from '../audit/audit.service';
import { CodeCommit } from '../commit/code-commit.entity';
import { DataVersion } from '../data-version/data-version.entity';
import { assertSingleProducer } from '../data-version/data-version.service';
import { addLineageEdges, createLineageNode, type NewEdge } from '../lineage/lineage.service';
import { LineageRelation, NodeKind } from '../lineage/lineage.types';
import { ModelVersion } from '../model/model.entity';
import { Experiment, Run, RunArtifact, RunParam, RunStatus, RunTag } from './run.entity';
import type { FinishRunInput, LogMetricsInput, StartRunInput } from './run.inputs';

function assertUniqueKeys(items: Array<{ key: string }>, what: string): void {
  const seen = new Set<string>();
  for (const { key } of items) {
    if (seen.has(key)) throw badInput(`${what} "${key}" is given twice; each key once`);
    seen.add(key);
  }
}

const notRunning = (run: Run, what: string) =>
  conflict(`Run ${run.id} is ${run.status}: a finished run is a fixed record, so ${what} cannot change. Start a new run instead.`, { status: run.status });

export class RunService {
  constructor(private readonly dataSource: DataSource) {}

  start(viewer: Viewer, input: StartRunInput): Promise<Run> {
    const params = input.params ?? [];
    const tags = input.tags ?? [];
    const inputs = input.inputs ?? [];
    assertUniqueKeys(params, 'param');
    assertUniqueKeys(tags, 'tag');
    assertUniqueKeys(inputs.map((item) => ({ key: item.dataVersionId })), 'input data version');
    if (input.environment && Buffer.byteLength(JSON.stringify(input.environment)) > LIMITS.environmentBytes) {
      throw badInput(`environment must be at most ${LIMITS.environmentBytes / 1024} KiB of JSON; keep large files as artifacts`);
    }
    return auditedTransaction(this.dataSource, async (manager) => {
      const project = await projectForRole(manager, viewer, input.project, 'CONTRIBUTOR');
      if (input.idempotencyKey) {
        await lockKey(manager, `run:${project.id}:${viewer.id}:${input.idempotencyKey}`);
        const earlier = await manager.findOneBy(Run, { projectId: project.id, createdBy: viewer.id, idempotencyKey: input.idempotencyKey });
        if (earlier) return earlier;
      }
      const [commit] = await rowsForRole(manager, CodeCommit, input.commitId ? [input.commitId] : [], viewer, 'VIEWER', 'Commit');
      // Inputs may live in other projects; reading them there is enough to consume them.
      await rowsForRole(manager, DataVersion, inputs.map((item) => item.dataVersionId), viewer, 'VIEWER', 'Data version');
      const baseModels = await rowsForRole(manager, ModelVersion, input.baseModelVersionIds ?? [], viewer, 'VIEWER', 'Model version');
      const [parent] = await rowsForRole(manager, Run, input.parentRunId ? [input.parentRunId] : [], viewer, 'CONTRIBUTOR', 'Parent run');
      if (parent && parent.projectId !== project.id) throw badInput(`Parent run ${parent.id} belongs to another project`);

      const experimentName = input.experiment ?? 'Default';
      await manager.createQueryBuilder().insert().into(Experiment).values({ projectId: project.id, name: experimentName }).orIgnore().execute();
      const experiment = await manager.findOneByOrFail(Experiment, { projectId: project.id, name: experimentName });

      // Millisecond precision, so the start time round-trips exactly through a page cursor.
      const startedAt = new Date();
      const run = await manager.save(
        manager.create(Run, {
          id: await createLineageNode(manager, NodeKind.Run, project.id),
          projectId: project.id,
          experimentId: experiment.id,
          name: input.name ?? `run-${startedAt.toISOString()}`,
          status: RunStatus.RUNNING,
          commitId: commit?.id ?? null,
          parentRunId: parent?.id ?? null,
          entrypoint: input.entrypoint ?? null,
          environment: input.environment ?? null,
          errorMessage: null,
          startedAt,
          endedAt: null,
          createdBy: viewer.id,
          idempotencyKey: input.idempotencyKey ?? null,
        }),
      );
      if (params.length) await manager.insert(RunParam, params.map(({ key, value }) => ({ runId: run.id, key, value })));
      if (tags.length) await manager.insert(RunTag, tags.map(({ key, value }) => ({ runId: run.id, key, value })));
      const edges: NewEdge[] = [
        ...(commit ? [{ srcId: commit.id, dstId: run.id, relation: LineageRelation.BUILT_FROM }] : []),
        ...inputs.map((item) => ({ srcId: item.dataVersionId, dstId: run.id, relation: LineageRelation.CONSUMED, role: item.role })),
        ...baseModels.map((model) => ({ srcId: model.id, dstId: run.id, relation: LineageRelation.CONSUMED })),
        ...(parent ? [{ srcId: parent.id, dstId: run.id, relation: LineageRelation.PARENT_OF }] : []),
      ];
      await addLineageEdges(manager, project.id, edges);
      recordAudit(manager, viewer, {
        action: 'run.started',
        entityType: 'Run',
        entityId: run.id,
        projectId: project.id,
        after: {
          name: run.name,
          experiment: experimentName,
          commitId: run.commitId,
          inputs: inputs.map((item) => ({ dataVersionId: item.dataVersionId, role: item.role })),
          baseModelVersionIds: baseModels.map((model) => model.id),
          params: Object.fromEntries(params.map(({ key, value }) => [key, value])),
          parentRunId: run.parentRunId,
        },
      });
      return run;
    });
  }

  /**
   * Stores a batch of points with one COPY and moves each key's latest point forward; the run stays
   * share-locked so finishRun waits for it.
   */
  logMetrics(viewer: Viewer, input: LogMetricsInput): Promise<{ accepted: number }> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const run = await rowForRole(manager, Run, input.runId, viewer, 'CONTRIBUTOR', 'Run', 'pessimistic_read');
      if (run.status !== RunStatus.RUNNING) throw notRunning(run, 'its metrics');
      const now = new Date();
      const points = input.metrics.map((point) => ({ key: point.key, value: point.value, step: point.step ?? 0, timestamp: point.timestamp ?? now }));
      if (points.length > 0) {
        await copyMetricPoints(transactionClient(manager), run.id, points);
        const latest = latestPerKey(points);
        // The latest point per key moves only forward: a late batch of old steps leaves it alone.
        await manager.query(
          `INSERT INTO run_metric_latest (run_id, key, value, step, timestamp)
           SELECT $1::uuid, * FROM unnest($2::text[], $3::float8[], $4::bigint[], $5::timestamptz[])
           ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value, step = EXCLUDED.step, timestamp = EXCLUDED.timestamp
            WHERE (EXCLUDED.step, EXCLUDED.timestamp) >= (run_metric_latest.step, run_metric_latest.timestamp)`,
          [run.id, latest.map((p) => p.key), latest.map((p) => p.value), latest.map((p) => p.step), latest.map((p) => p.timestamp)],
        );
      }
      recordAudit(manager, viewer, {
        action: 'run.metrics_logged',
        entityType: 'Run',
        entityId: run.id,
        projectId: run.projectId,
        after: { points: points.length, keys: [...new Set(points.map((p) => p.key))].slice(0, 50) },
      });
      return { accepted: points.length };
    });
  }

  finish(viewer: Viewer, input: FinishRunInput): Promise<Run> {
    const artifacts = input.artifacts ?? [];
    assertUniqueKeys(artifacts.map((artifact) => ({ key: artifact.path })), 'artifact path');
    return auditedTransaction(this.dataSource, async (manager) => {
      const run = await rowForRole(manager, Run, input.runId, viewer, 'CONTRIBUTOR', 'Run', 'pessimistic_write');
      if (run.status !== RunStatus.RUNNING) throw notRunning(run, 'its status, outputs and artifacts');
      const outputs = await rowsForRole(manager, DataVersion, input.outputs ?? [], viewer, 'CONTRIBUTOR', 'Output data version');
      await assertSingleProducer(manager, outputs.map((output) => output.id), run.id);
      if (artifacts.length) {
        await manager.insert(
          RunArtifact,
          artifacts.map((artifact) => ({
            runId: run.id,
            path: artifact.path,
            uri: artifact.uri,
            digest: artifact.digest ?? null,
            sizeBytes: artifact.sizeBytes ?? null,
            kind: parseArtifactKind(artifact.kind ?? ArtifactKind.OTHER) as ArtifactKind,
            mediaType: artifact.mediaType ?? null,
          })),
        );
      }
      await addLineageEdges(manager, run.projectId, outputs.map((output) => ({ srcId: run.id, dstId: output.id, relation: LineageRelation.PRODUCED })));
      const before = { status: run.status };
      run.status = input.status;
      run.endedAt = new Date();
      run.errorMessage = input.errorMessage ?? null;
      await manager.save(run);
      recordAudit(manager, viewer, {
        action: 'run.finished',
        entityType: 'Run',
        entityId: run.id,
        projectId: run.projectId,
        before,
        after: { status: run.status, errorMessage: run.errorMessage, outputs: outputs.map((output) => output.id), artifacts: artifacts.map((artifact) => artifact.path) },
      });
      return run;
    });
  }

}

export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  timestamp: Date;
}

/** Appends a run's points with one COPY: how logMetrics stores them, and the benchmark's raw baseline. */
export function copyMetricPoints(client: ClientBase, runId: string, points: readonly MetricPoint[]): Promise<void> {
  return copyRows(client, 'metric_point', ['run_id', 'key', 'value', 'step', 'timestamp'], points.map((p) => [runId, p.key, p.value, p.step, p.timestamp]));
}

/** Each key's latest point in a batch: highest step, then latest timestamp, then the one sent last. */
function latestPerKey(points: readonly MetricPoint[]): MetricPoint[] {
  const latest = new Map<string, MetricPoint>();
  for (const point of points) {
    const held = latest.get(point.key);
    if (!held || point.step > held.step || (point.step === held.step && point.timestamp >= held.timestamp)) latest.set(point.key, point);
  }
  return [...latest.values()];
}

/** Only a FINISHED run has a model worth registering. */
export function assertRunFinished(run: Run): void {
  if (run.status !== RunStatus.FINISHED) {
    throw new AppError(
      AppErrorCode.PRECONDITION_FAILED,
      run.status === RunStatus.RUNNING
        ? `Run ${run.id} is still RUNNING; call finishRun with status FINISHED before registering its model`
        : `Run ${run.id} ended ${run.status}; only a FINISHED run's model can be registered`,
      { status: run.status },
    );
  }
}
