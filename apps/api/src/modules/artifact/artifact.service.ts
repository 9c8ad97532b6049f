import type { Readable } from 'node:stream';
import type { DataSource, EntityManager } from 'typeorm';
import { rowForRole } from '../../common/auth/project-access';
import type { Viewer } from '../../common/auth/viewer';
import { AppError, AppErrorCode, badInput, conflict, notFound } from '../../common/errors/app-error';
import { PATTERNS } from '../../common/validation/limits';
import { auditedTransaction, recordAudit } from '../audit/audit.service';
import { Run, RunArtifact, RunStatus } from '../run/run.entity';
import { assertArtifactPath } from './artifact-path';
import type { ArtifactStore } from './artifact.store';
import { type ArtifactKind, STORE_URI_PREFIX, storeUri } from './artifact.types';

export interface ArtifactUpload {
  runId: string;
  path: string;
  kind: ArtifactKind;
  mediaType: string;
  /** `sha256:<hex>` the client expects; other bytes are refused with CONFLICT. */
  expectedDigest: string | null;
  body: Readable;
}

export interface UploadResult {
  artifact: RunArtifact;
  /** False when the same bytes were already recorded at this path: a retry, answered with the first record. */
  created: boolean;
}

const sameBytesAgain = (artifact: RunArtifact | null, digest: string | null) => artifact !== null && artifact.stored && artifact.digest === digest;

const pathTaken = (runId: string, path: string) =>
  conflict(`Run ${runId} already has different bytes at "${path}": an artifact path is written once. Upload to another path.`, { path });

/** The artifact `runId` uploaded at a path or with a digest (the first, by time); null when it uploaded none such. */
export function storedArtifactOfRun(manager: EntityManager, runId: string, by: { path: string } | { digest: string }): Promise<RunArtifact | null> {
  return manager.findOne(RunArtifact, { where: { runId, stored: true, ...by }, order: { createdAt: 'ASC', id: 'ASC' } });
}

export interface ModelArtifactInput {
  artifactPath?: string | null;
  artifactUri?: string | null;
  artifactDigest?: string | null;
}

/**
 * The bytes a new model version refers to. With `artifactPath`, or with no `artifactUri` (or a
 * `pedigree://artifacts/` one), they must be an artifact the source run uploaded: its digest and URI
 * are taken from the upload, so the version cannot name bytes that are not in the store. With an
 * external `artifactUri` (s3://, gs://, https://…) the model is stored elsewhere and `artifactDigest`
 * is recorded as the client states it.
 */
export async function resolveModelArtifact(manager: EntityManager, runId: string, input: ModelArtifactInput): Promise<{ uri: string; digest: string }> {
  const external = !!input.artifactUri && !input.artifactUri.startsWith(STORE_URI_PREFIX);
  if (!input.artifactPath && !input.artifactDigest) {
    throw badInput('Name the model artifact: artifactPath (a file uploaded to the run), or artifactDigest with artifactUri when it is stored elsewhere.');
  }
  if (external && !input.artifactPath) return { uri: input.artifactUri as string, digest: input.artifactDigest as string };
  const by = input.artifactPath ? { path: input.artifactPath } : { digest: input.artifactDigest as string };
  const artifact = await storedArtifactOfRun(manager, runId, by);
  if (!artifact) {
    const what = input.artifactPath ? `at "${input.artifactPath}"` : `with digest ${input.artifactDigest}`;
    throw new AppError(
      AppErrorCode.NOT_FOUND,
      `Run ${runId} uploaded no artifact ${what}. Upload it with PUT /api/v1/runs/${runId}/artifacts/<path> while the run is RUNNING, or give artifactUri where the model is stored.`,
    );
  }
  const digest = artifact.digest as string;
  if (input.artifactDigest && input.artifactDigest !== digest) throw badInput(`artifactDigest ${input.artifactDigest} is not the digest of "${artifact.path}" (${digest})`);
  if (input.artifactUri && input.artifactUri !== artifact.uri) throw badInput(`artifactUri must be left out, or be ${artifact.uri}, for an artifact uploaded to the run`);
  return { uri: artifact.uri, digest };
}

/**
 * Uploads into the artifact store and the downloads from it. A run's artifact rows record which
 * bytes it produced; only rows of uploads (`stored`) grant downloads, since an upload proves the
 * uploader had the bytes while finishRun merely names a digest.
 */
export class ArtifactService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ArtifactStore,
    private readonly maxBytes: number,
  ) {}

  /**
   * Streams the body into the store, then records it on the run with its audit event. Rights and
   * the run's state are checked before a byte is read and again, under the run's lock, before the
   * record is written; a refused or failed upload records nothing.
   */
  async upload(viewer: Viewer, upload: ArtifactUpload): Promise<UploadResult> {
    const path = assertArtifactPath(upload.path);
    const run = await this.runAcceptingArtifacts(this.dataSource.manager, viewer, upload.runId);
    const recorded = await this.dataSource.manager.findOneBy(RunArtifact, { runId: run.id, path });
    if (recorded && upload.expectedDigest) {
      if (sameBytesAgain(recorded, upload.expectedDigest)) return { artifact: recorded, created: false };
      throw pathTaken(run.id, path);
    }
    const blob = await this.store.put(upload.body, { maxBytes: this.maxBytes, expectedDigest: upload.expectedDigest });
    return auditedTransaction(this.dataSource, async (manager) => {
      // Share-locked: concurrent uploads proceed together, and finishRun waits for them.
      const lockedRun = await this.runAcceptingArtifacts(manager, viewer, run.id, 'pessimistic_read');
      const existing = await manager.findOneBy(RunArtifact, { runId: lockedRun.id, path });
      if (existing) {
        if (sameBytesAgain(existing, blob.digest)) return { artifact: existing, created: false };
        throw pathTaken(lockedRun.id, path);
      }
      const artifact = await manager.save(
        manager.create(RunArtifact, {
          runId: lockedRun.id,
          path,
          uri: storeUri(blob.digest),
          digest: blob.digest,
          sizeBytes: blob.sizeBytes,
          mediaType: upload.mediaType,
          kind: upload.kind,
          stored: true,
        }),
      );
      recordAudit(manager, viewer, {
        action: 'run.artifact_uploaded',
        entityType: 'Run',
        entityId: lockedRun.id,
        projectId: lockedRun.projectId,
        after: { path, digest: blob.digest, sizeBytes: blob.sizeBytes, mediaType: upload.mediaType, kind: upload.kind },
      });
      return { artifact, created: true };
    });
  }

  /** An uploaded artifact of a run the viewer may read, by its path. */
  async byRunAndPath(viewer: Viewer, runId: string, path: string): Promise<RunArtifact> {
    assertArtifactPath(path);
    const run = await rowForRole(this.dataSource.manager, Run, runId, viewer, 'VIEWER', 'Run');
    const artifact = await this.dataSource.manager.findOneBy(RunArtifact, { runId: run.id, path });
    if (!artifact) throw notFound(`Artifact "${path}" of run ${run.id}`);
    if (!artifact.stored) {
      throw new AppError(AppErrorCode.NOT_FOUND, `The bytes of "${path}" are not in Pedigree's store: run ${run.id} recorded them as stored at ${artifact.uri}.`);
    }
    return artifact;
  }

  /**
   * The first upload of these bytes in a project the viewer reads. Anyone else is told it was not
   * found, whether or not it exists, so digests cannot be probed.
   */
  async byDigest(viewer: Viewer, digest: string): Promise<RunArtifact> {
    if (!PATTERNS.artifactDigest.test(digest)) throw badInput('The digest must be "sha256:" followed by 64 lowercase hex characters.');
    const artifact = await this.dataSource
      .getRepository(RunArtifact)
      .createQueryBuilder('artifact')
      .innerJoin(Run, 'run', 'run.id = artifact.run_id')
      .where('artifact.digest = :digest AND artifact.stored', { digest })
      .andWhere('run.project_id = ANY(CAST(:projectIds AS uuid[]))', { projectIds: viewer.readableProjectIds })
      .orderBy('artifact.created_at', 'ASC')
      .addOrderBy('artifact.id', 'ASC')
      .getOne();
    if (!artifact) throw notFound(`Artifact ${digest}`);
    return artifact;
  }

  private async runAcceptingArtifacts(manager: EntityManager, viewer: Viewer, runId: string, lock?: 'pessimistic_read'): Promise<Run> {
    const run = await rowForRole(manager, Run, runId, viewer, 'CONTRIBUTOR', 'Run', lock);
    if (run.status !== RunStatus.RUNNING) {
      throw conflict(`Run ${run.id} is ${run.status}: a finished run is a fixed record, so artifacts are uploaded before finishRun.`, { status: run.status });
    }
    return run;
  }
}
