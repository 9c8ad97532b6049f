import type { DataSource, EntityManager } from 'typeorm';
import { projectForRole, rowsForRole } from '../../common/auth/project-access';
import type { Viewer } from '../../common/auth/viewer';
import { lockKey } from '../../common/database/locks';
import { AppError, AppErrorCode, badInput, conflict } from '../../common/errors/app-error';
import { CONTENT_HASH_PATTERNS } from '../../common/validation/limits';
import { auditedTransaction, recordAudit } from '../audit/audit.service';
import { addLineageEdges, createLineageNode, type NewEdge } from '../lineage/lineage.service';
import { LineageRelation, NodeKind } from '../lineage/lineage.types';
import { Run, RunStatus } from '../run/run.entity';
import { DataVersion, Dataset, type HashAlgorithm } from './data-version.entity';
import type { RegisterDataVersionInput } from './data-version.inputs';

/** Lowercases the hex part; a DVC directory hash keeps its ".dir" suffix. */
export function normalizeContentHash(contentHash: string, algorithm: HashAlgorithm): string {
  const normalized = contentHash.trim().toLowerCase();
  if (!CONTENT_HASH_PATTERNS[algorithm].test(normalized)) {
    const expected = algorithm === 'sha256' ? '64 hex characters' : '32 hex characters, optionally followed by ".dir"';
    throw badInput(`contentHash "${contentHash}" is not a ${algorithm} digest: expected ${expected}`);
  }
  return normalized;
}

async function datasetFor(manager: EntityManager, projectId: string, name: string): Promise<Dataset> {
  await manager.createQueryBuilder().insert().into(Dataset).values({ projectId, name }).orIgnore().execute();
  return manager.findOneByOrFail(Dataset, { projectId, name });
}

/** One content has one producing run: a second producer is a contradiction, not an update. */
export async function assertSingleProducer(manager: EntityManager, dataVersionIds: string[], runId: string): Promise<void> {
  if (dataVersionIds.length === 0) return;
  const [other] = await manager.query(
    `SELECT dst_id AS "dataVersionId", src_id AS "runId" FROM lineage_edge
      WHERE dst_id = ANY($1::uuid[]) AND relation = 'PRODUCED' AND src_id <> $2 LIMIT 1`,
    [dataVersionIds, runId],
  );
  if (other) throw conflict(`Data version ${other.dataVersionId} was already produced by run ${other.runId}; one content has one producing run`);
}

export class DataVersionService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Registers a data version, idempotent on (dataset, contentHash): the same content registered
   * again returns the first record, with any new derivation links added.
   */
  register(viewer: Viewer, input: RegisterDataVersionInput): Promise<DataVersion> {
    const algorithm = (input.hashAlgorithm ?? 'md5') as HashAlgorithm;
    const contentHash = normalizeContentHash(input.contentHash, algorithm);
    return auditedTransaction(this.dataSource, async (manager) => {
      const project = await projectForRole(manager, viewer, input.project, 'CONTRIBUTOR');
      await lockKey(manager, `data:${project.id}:${input.dataset}:${contentHash}`);
      const dataset = await datasetFor(manager, project.id, input.dataset);
      const parents = await rowsForRole(manager, DataVersion, input.derivedFrom ?? [], viewer, 'VIEWER', 'Data version');
      const producer = input.producedByRunId ? await this.producingRun(manager, viewer, input.producedByRunId, project.id) : null;

      const existing = await manager.findOneBy(DataVersion, { datasetId: dataset.id, contentHash });
      if (existing && existing.hashAlgorithm !== algorithm) {
        throw conflict(`Data version ${contentHash} of "${input.dataset}" is recorded with ${existing.hashAlgorithm}, not ${algorithm}`);
      }
      const version =
        existing ??
        (await manager.save(
          manager.create(DataVersion, {
            id: await createLineageNode(manager, NodeKind.DataVersion, project.id),
            projectId: project.id,
            datasetId: dataset.id,
            contentHash,
            hashAlgorithm: algorithm,
            uri: input.uri ?? null,
            sizeBytes: input.sizeBytes ?? null,
            fileCount: input.fileCount ?? null,
            format: input.format ?? null,
            createdBy: viewer.id,
          }),
        ));
      if (existing && producer) await assertSingleProducer(manager, [existing.id], producer.id);
      const edges: NewEdge[] = [
        ...parents.map((parent) => ({ srcId: parent.id, dstId: version.id, relation: LineageRelation.DERIVED_FROM })),
        ...(producer ? [{ srcId: producer.id, dstId: version.id, relation: LineageRelation.PRODUCED }] : []),
      ];
      const added = await this.newEdges(manager, edges);
      await addLineageEdges(manager, project.id, added);
      if (!existing || added.length > 0) {
        recordAudit(manager, viewer, {
          action: existing ? 'data_version.linked' : 'data_version.registered',
          entityType: 'DataVersion',
          entityId: version.id,
          projectId: project.id,
          after: {
            dataset: input.dataset,
            contentHash,
            hashAlgorithm: algorithm,
            derivedFrom: parents.map((parent) => parent.id),
            producedByRunId: producer?.id ?? null,
          },
        });
      }
      return version;
    });
  }

  /** A run's outputs are fixed when it finishes, so only a RUNNING run of the project can produce data. */
  private async producingRun(manager: EntityManager, viewer: Viewer, runId: string, projectId: string): Promise<Run> {
    const [run] = await rowsForRole(manager, Run, [runId], viewer, 'CONTRIBUTOR', 'Run');
    if (run.projectId !== projectId) throw badInput(`Run ${runId} belongs to another project; data can only be produced by a run of the same project`);
    const locked = await manager.findOneOrFail(Run, { where: { id: runId }, lock: { mode: 'pessimistic_read' } });
    if (locked.status !== RunStatus.RUNNING) {
      throw new AppError(AppErrorCode.PRECONDITION_FAILED, `Run ${runId} is ${locked.status}: its outputs were fixed when it finished. Record outputs while the run is RUNNING, or in finishRun's outputs.`);
    }
    return locked;
  }

  /** Drops edges already recorded, so a repeated registration writes no audit event. All edges end at one version. */
  private async newEdges(manager: EntityManager, edges: NewEdge[]): Promise<NewEdge[]> {
    if (edges.length === 0) return [];
    const rows: Array<{ srcId: string; relation: string }> = await manager.query(
      `SELECT src_id AS "srcId", relation FROM lineage_edge WHERE dst_id = $1`,
      [edges[0].dstId],
    );
    const known = new Set(rows.map((row) => `${row.srcId}:${row.relation}`));
    return edges.filter((edge) => !known.has(`${edge.srcId}:${edge.relation}`));
  }
}
