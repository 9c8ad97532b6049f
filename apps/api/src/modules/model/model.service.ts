import type { DataSource } from 'typeorm';
import { projectForRole, rowsForRole } from '../../common/auth/project-access';
import type { Viewer } from '../../common/auth/viewer';
import { lockKey } from '../../common/database/locks';
import { badInput, conflict } from '../../common/errors/app-error';
import { entityQuery } from '../../common/loaders';
import { resolveModelArtifact } from '../artifact/artifact.service';
import { auditedTransaction, recordAudit } from '../audit/audit.service';
import { addLineageEdges, createLineageNode } from '../lineage/lineage.service';
import { LineageRelation, NodeKind } from '../lineage/lineage.types';
import { Run } from '../run/run.entity';
import { assertRunFinished } from '../run/run.service';
import { ModelVersion, RegisteredModel } from './model.entity';
import type { RegisterModelVersionInput } from './model.inputs';

export class ModelService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Registers the next version of a model from a FINISHED run. Numbers come from the model row's
   * counter, incremented under its row lock: concurrent registrations queue, and a rolled-back one
   * gives its number back, so versions run 1, 2, 3… without gaps or duplicates. The artifact rule
   * is `resolveModelArtifact`'s: uploaded bytes must exist, external ones are taken as stated.
   */
  register(viewer: Viewer, input: RegisterModelVersionInput): Promise<ModelVersion> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const project = await projectForRole(manager, viewer, input.project, 'CONTRIBUTOR');
      const [run] = await rowsForRole(manager, Run, [input.runId], viewer, 'VIEWER', 'Run');
      if (run.projectId !== project.id) throw badInput(`Run ${run.id} belongs to another project; register the model in the run's project`);
      assertRunFinished(run);
      const artifact = await resolveModelArtifact(manager, run.id, input);
      if (input.idempotencyKey) {
        await lockKey(manager, `model-version:${project.id}:${viewer.id}:${input.idempotencyKey}`);
        const earlier = await manager.findOneBy(ModelVersion, { projectId: project.id, createdBy: viewer.id, idempotencyKey: input.idempotencyKey });
        if (earlier) {
          const earlierModel = await manager.findOneByOrFail(RegisteredModel, { id: earlier.modelId });
          if (earlierModel.name !== input.model || earlier.runId !== input.runId || earlier.artifactDigest !== artifact.digest) {
            throw conflict(`idempotencyKey "${input.idempotencyKey}" was already used for ${earlierModel.name} version ${earlier.version} with other inputs; use a new key`);
          }
          return earlier;
        }
      }

      await manager.createQueryBuilder().insert().into(RegisteredModel).values({ projectId: project.id, name: input.model, createdBy: viewer.id }).orIgnore().execute();
      const [[counter]]: [[{ id: string; latest_version: number }], number] = await manager.query(
        `UPDATE registered_model SET latest_version = latest_version + 1 WHERE project_id = $1 AND name = $2 RETURNING id, latest_version`,
        [project.id, input.model],
      );
      const version = await manager.save(
        manager.create(ModelVersion, {
          id: await createLineageNode(manager, NodeKind.ModelVersion, project.id),
          projectId: project.id,
          modelId: counter.id,
          version: counter.latest_version,
          runId: run.id,
          artifactUri: artifact.uri,
          artifactDigest: artifact.digest,
          description: input.description ?? null,
          createdBy: viewer.id,
          idempotencyKey: input.idempotencyKey ?? null,
        }),
      );
      await addLineageEdges(manager, project.id, [{ srcId: run.id, dstId: version.id, relation: LineageRelation.TRAINED }]);
      recordAudit(manager, viewer, {
        action: 'model_version.registered',
        entityType: 'ModelVersion',
        entityId: version.id,
        projectId: project.id,
        after: {
          model: input.model,
          version: version.version,
          runId: run.id,
          artifactUri: version.artifactUri,
          artifactDigest: version.artifactDigest,
          artifactPath: input.artifactPath ?? null,
        },
      });
      return version;
    });
  }

  /** A model by project key and name; the SQL is built once (the query builder cost more CPU than the query). */
  private readonly readModelByName = entityQuery(this.dataSource, RegisteredModel, `project_id = (SELECT id FROM project WHERE key = $1) AND name = $2`);

  async modelByName(viewer: Viewer, projectKey: string, name: string): Promise<RegisteredModel | null> {
    // One statement for the common case; a miss asks for the project alone, which says whether it
    // is the project that is missing (or unreadable) or only the model.
    const [model] = await this.readModelByName([projectKey, name]);
    if (!model || !viewer.canRead(model.projectId)) {
      await projectForRole(this.dataSource.manager, viewer, projectKey, 'VIEWER');
      return null;
    }
    return model;
  }
}
