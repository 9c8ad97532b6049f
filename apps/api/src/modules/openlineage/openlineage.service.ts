import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { projectForRole, rowForRole } from '../../common/auth/project-access';
import type { Viewer } from '../../common/auth/viewer';
import { AppError, AppErrorCode } from '../../common/errors/app-error';
import { LIMITS, PATTERNS } from '../../common/validation/limits';
import { canonicalJson } from '../audit/audit.chain';
import { auditedTransaction, chainHead, recordAudit } from '../audit/audit.service';
import { CommitService } from '../commit/commit.service';
import type { DataVersion } from '../data-version/data-version.entity';
import { DataVersionService } from '../data-version/data-version.service';
import { addLineageEdges } from '../lineage/lineage.service';
import { DataRole, LineageRelation } from '../lineage/lineage.types';
import type { Project } from '../project/project.entity';
import { Run, RunStatus } from '../run/run.entity';
import { RunService } from '../run/run.service';
import { runEventErrors } from './openlineage.validation';

/** What became of one posted event. */
export interface EventResult {
  index: number;
  eventType: string | null;
  /** RECORDED: something was written; UNCHANGED: all of it was recorded before (a replay); REJECTED: nothing was taken. */
  status: 'RECORDED' | 'UNCHANGED' | 'REJECTED';
  /** The Pedigree run the event's run maps to. */
  runId: string | null;
  /** Schema errors; in lenient mode the event may still have been taken. */
  errors: string[];
  /** Parts of the event that could not be recorded, and why. */
  skipped: string[];
}

export interface IngestReport {
  project: string;
  recorded: number;
  unchanged: number;
  rejected: number;
  events: EventResult[];
}

type Json = Record<string, unknown>;

interface JobRef {
  namespace: string;
  name: string;
}

const FINAL_STATUS: Record<string, RunStatus> = { COMPLETE: RunStatus.FINISHED, FAIL: RunStatus.FAILED, ABORT: RunStatus.KILLED };

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');
const clip = (value: string, max: number) => (value.length <= max ? value : value.slice(0, max));

/** Refusal of one event that is not about the schema: it lacks what a run needs. */
class UnusableEvent extends Error {}

/**
 * An OpenLineage run is named by its job and runId. The job is part of the key because a runId is
 * only meant to be unique, and some producers' test streams reuse one placeholder for every run.
 */
export function openLineageRunKey(job: JobRef, runId: string): string {
  return `openlineage:${sha256(`${job.namespace}\u0000${job.name}\u0000${runId}`)}`;
}

/** A dataset name Pedigree accepts (letters, digits, '.', '_', '-', '/'), readable and stable. */
export function pedigreeDatasetName(namespace: string, name: string): string {
  const joined = `${namespace.replace(/:\/\//g, '/')}/${name}`
    .replace(/[^A-Za-z0-9._/-]+/g, '_')
    .replace(/\/{2,}/g, '/')
    .replace(/^[^A-Za-z0-9]+/, '');
  const candidate = joined || 'dataset';
  if (candidate.length <= 250) return candidate;
  return `${candidate.slice(0, 233)}-${sha256(`${namespace}/${name}`).slice(0, 16)}`;
}

/**
 * OpenLineage datasets have no content digest. A dataset's `version` facet names its version, so
 * that (with namespace and name) is hashed; without one, the namespace, name and the dataset's
 * facets are: the same table with the same facets is one data version, a changed schema another.
 */
export function openLineageContentHash(dataset: Json): string {
  const namespace = String(dataset.namespace);
  const name = String(dataset.name);
  const facets = isObject(dataset.facets) ? dataset.facets : {};
  const version = isObject(facets.version) ? text(facets.version.datasetVersion) : null;
  if (version) return sha256(`openlineage-dataset-version\u0000${namespace}\u0000${name}\u0000${version}`);
  return sha256(`openlineage-dataset\u0000${namespace}\u0000${name}\u0000${canonicalJson(facets)}`);
}

function nonNegativeInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** An output another run already produced, or that is also an input of this run (a loop). */
function unlinkableOutput(error: unknown): error is AppError {
  return error instanceof AppError && (error.code === AppErrorCode.CONFLICT || (error.code === AppErrorCode.BAD_USER_INPUT && Boolean(error.details?.loop)));
}

function jobOf(value: unknown): JobRef | null {
  if (!isObject(value)) return null;
  const namespace = text(value.namespace);
  const name = text(value.name);
  return namespace && name ? { namespace, name } : null;
}

/**
 * Records OpenLineage run events through the same services as the GraphQL mutations, so every
 * write is authorized, audited and idempotent in the same way: START starts a run, COMPLETE, FAIL
 * and ABORT finish it, datasets become data versions, and a replayed event finds everything
 * already recorded and writes nothing.
 */
export class OpenLineageService {
  private readonly commits: CommitService;
  private readonly dataVersions: DataVersionService;
  private readonly runs: RunService;

  constructor(private readonly dataSource: DataSource) {
    this.commits = new CommitService(dataSource);
    this.dataVersions = new DataVersionService(dataSource);
    this.runs = new RunService(dataSource);
  }

  /**
   * Strict mode takes all events or none: one invalid event rejects the batch before anything is
   * written. Lenient mode records what each event allows and reports the rest.
   */
  async ingest(viewer: Viewer, projectKey: string, events: unknown[], lenient: boolean): Promise<IngestReport> {
    const project = await projectForRole(this.dataSource.manager, viewer, projectKey, 'CONTRIBUTOR');
    const schemaErrors = events.map((event) => runEventErrors(event));
    if (!lenient && schemaErrors.some((errors) => errors.length > 0)) {
      throw new AppError(AppErrorCode.BAD_USER_INPUT, 'Some events are not valid OpenLineage RunEvents; nothing was recorded. Fix them, or post with ?lenient=true to record what can be.', {
        events: schemaErrors.flatMap((errors, index) => (errors.length ? [{ index, errors }] : [])),
      });
    }
    const results: EventResult[] = [];
    for (const [index, event] of events.entries()) {
      const eventType = isObject(event) ? text(event.eventType) : null;
      const result: EventResult = { index, eventType, status: 'UNCHANGED', runId: null, errors: schemaErrors[index], skipped: [] };
      const before = await chainHead(this.dataSource, project.id);
      try {
        result.runId = await this.recordEvent(viewer, project, event, result.skipped);
        const after = await chainHead(this.dataSource, project.id);
        result.status = after?.seq !== before?.seq ? 'RECORDED' : 'UNCHANGED';
      } catch (error) {
        if (!(error instanceof UnusableEvent || error instanceof AppError)) throw error;
        result.status = 'REJECTED';
        result.errors = [...result.errors, error.message];
      }
      results.push(result);
    }
    const count = (status: EventResult['status']) => results.filter((result) => result.status === status).length;
    return { project: project.key, recorded: count('RECORDED'), unchanged: count('UNCHANGED'), rejected: count('REJECTED'), events: results };
  }

  private async recordEvent(viewer: Viewer, target: Project, event: unknown, skipped: string[]): Promise<string> {
    const project = target.key;
    if (!isObject(event)) throw new UnusableEvent('The event is not a JSON object.');
    const runId = isObject(event.run) ? text(event.run.runId) : null;
    const job = jobOf(event.job);
    if (!runId) throw new UnusableEvent('The event has no run.runId, so there is no run to record.');
    if (!job) throw new UnusableEvent('The event has no job.namespace and job.name, so there is no run to record.');
    const runFacets = isObject(event.run) && isObject(event.run.facets) ? event.run.facets : {};
    const jobFacets = isObject(event.job) && isObject(event.job.facets) ? event.job.facets : {};
    const eventType = text(event.eventType) ?? 'OTHER';

    const inputs = await this.registerDatasets(viewer, project, event.inputs, 'inputs', skipped);
    let run = await this.findRun(target.id, openLineageRunKey(job, runId));
    if (!run) {
      const commitId = await this.commitFor(viewer, project, jobFacets.sourceCodeLocation, skipped);
      const parentRunId = await this.parentFor(viewer, target, runFacets.parent, skipped);
      const sql = isObject(jobFacets.sql) ? text(jobFacets.sql.query) : null;
      run = await this.runs.start(viewer, {
        project,
        experiment: clip(job.namespace, LIMITS.name),
        name: clip(job.name, LIMITS.name),
        commitId,
        parentRunId,
        entrypoint: sql ? clip(sql, LIMITS.text) : null,
        environment: null,
        params: [],
        tags: this.tags(job, runId, event),
        inputs: inputs.map((version) => ({ dataVersionId: version.id, role: DataRole.OTHER })),
        idempotencyKey: openLineageRunKey(job, runId),
      });
    } else {
      await this.addInputs(viewer, run, inputs, skipped);
    }

    await this.registerDatasets(viewer, project, event.outputs, 'outputs', skipped, run);
    const status = FINAL_STATUS[eventType];
    if (status) {
      const current = await this.dataSource.manager.findOneByOrFail(Run, { id: run.id });
      if (current.status === RunStatus.RUNNING) {
        const errorFacet = isObject(runFacets.errorMessage) ? text(runFacets.errorMessage.message) : null;
        await this.runs.finish(viewer, { runId: run.id, status, errorMessage: errorFacet ? clip(errorFacet, LIMITS.text) : null, outputs: [], artifacts: [] });
      } else if (current.status !== status) {
        skipped.push(`run ${run.id} already ended ${current.status}; the ${eventType} event cannot change that`);
      }
    }
    return run.id;
  }

  /** A run recorded from this OpenLineage run before, by anyone in the project. */
  private findRun(projectId: string, key: string): Promise<Run | null> {
    return this.dataSource.manager.findOneBy(Run, { projectId, idempotencyKey: key });
  }

  private tags(job: JobRef, runId: string, event: Json): Array<{ key: string; value: string }> {
    const tags = [
      { key: 'openlineage.namespace', value: job.namespace },
      { key: 'openlineage.job', value: job.name },
      { key: 'openlineage.runId', value: runId },
      { key: 'openlineage.producer', value: text(event.producer) },
    ];
    return tags.flatMap(({ key, value }) => (value ? [{ key, value: clip(value, LIMITS.tagValue) }] : []));
  }

  /** The job's `sourceCodeLocation` facet as a commit, when it names a full git sha. */
  private async commitFor(viewer: Viewer, project: string, facet: unknown, skipped: string[]): Promise<string | null> {
    if (!isObject(facet)) return null;
    const sha = text(facet.version);
    const repository = text(facet.repoUrl) ?? text(facet.url);
    if (!sha || !PATTERNS.sha.test(sha) || !repository) {
      skipped.push(`sourceCodeLocation: no commit recorded, as it needs a version that is a full git sha (40 or 64 hex) and a repoUrl or url; got version ${JSON.stringify(facet.version ?? null)}`);
      return null;
    }
    const commit = await this.commits.record(viewer, {
      project,
      repository: clip(repository, LIMITS.uri),
      sha,
      branch: text(facet.branch) ? clip(String(facet.branch), LIMITS.name) : null,
      dirty: false,
    });
    return commit.id;
  }

  /**
   * The `parent` facet's run, recorded as a RUNNING run if its own events have not arrived yet:
   * orchestrators send the parent's START first, but events may come out of order.
   */
  private async parentFor(viewer: Viewer, project: Project, facet: unknown, skipped: string[]): Promise<string | null> {
    if (!isObject(facet)) return null;
    const runId = isObject(facet.run) ? text(facet.run.runId) : null;
    const job = jobOf(facet.job);
    if (!runId || !job) {
      skipped.push('parent: no parent link recorded, as the facet needs run.runId, job.namespace and job.name');
      return null;
    }
    const key = openLineageRunKey(job, runId);
    const existing = await this.findRun(project.id, key);
    if (existing) return existing.id;
    const parent = await this.runs.start(viewer, {
      project: project.key,
      experiment: clip(job.namespace, LIMITS.name),
      name: clip(job.name, LIMITS.name),
      params: [],
      tags: this.tags(job, runId, {}),
      inputs: [],
      idempotencyKey: key,
    });
    return parent.id;
  }

  /** Data versions of the event's datasets; outputs are linked to a RUNNING run as they come. */
  private async registerDatasets(viewer: Viewer, project: string, datasets: unknown, what: 'inputs' | 'outputs', skipped: string[], producer?: Run): Promise<DataVersion[]> {
    if (!Array.isArray(datasets)) return [];
    const versions: DataVersion[] = [];
    for (const [index, dataset] of datasets.entries()) {
      if (!isObject(dataset) || !text(dataset.namespace) || !text(dataset.name)) {
        skipped.push(`${what}[${index}]: not recorded, as a dataset needs a namespace and a name`);
        continue;
      }
      const namespace = String(dataset.namespace);
      const name = String(dataset.name);
      const facets = isObject(dataset.facets) ? dataset.facets : {};
      const statistics = isObject(dataset.outputFacets) && isObject(dataset.outputFacets.outputStatistics) ? dataset.outputFacets.outputStatistics : {};
      const quality = isObject(dataset.inputFacets) && isObject(dataset.inputFacets.dataQualityMetrics) ? dataset.inputFacets.dataQualityMetrics : {};
      const storage = isObject(facets.storage) ? text(facets.storage.fileFormat) : null;
      const input = {
        project,
        dataset: pedigreeDatasetName(namespace, name),
        contentHash: openLineageContentHash(dataset),
        hashAlgorithm: 'sha256',
        uri: clip(`${namespace.replace(/\/+$/, '')}/${name.replace(/^\/+/, '')}`, LIMITS.uri),
        sizeBytes: nonNegativeInteger(statistics.size) ?? nonNegativeInteger(quality.bytes),
        fileCount: nonNegativeInteger(statistics.fileCount) ?? nonNegativeInteger(quality.fileCount),
        format: storage ? clip(storage, 100) : null,
      };
      const running = producer && (await this.dataSource.manager.findOneByOrFail(Run, { id: producer.id })).status === RunStatus.RUNNING;
      try {
        versions.push(await this.dataVersions.register(viewer, { ...input, producedByRunId: running ? producer.id : null }));
      } catch (error) {
        if (!running || !unlinkableOutput(error)) throw error;
        // Without a content digest, two runs (or one run's input and output) can describe a dataset identically.
        skipped.push(`${what}[${index}] ${namespace}/${name}: recorded, but not as produced by this run: ${error.message}`);
        versions.push(await this.dataVersions.register(viewer, input));
      }
      if (producer && !running && !(await this.hasEdge(versions[versions.length - 1].id, producer.id, LineageRelation.PRODUCED, 'out'))) {
        skipped.push(`${what}[${index}] ${namespace}/${name}: not linked, as run ${producer.id} has ended and its outputs are fixed`);
      }
    }
    return versions;
  }

  private async hasEdge(dataVersionId: string, runId: string, relation: LineageRelation, direction: 'in' | 'out'): Promise<boolean> {
    const [src, dst] = direction === 'in' ? [dataVersionId, runId] : [runId, dataVersionId];
    const rows = await this.dataSource.query(`SELECT 1 FROM lineage_edge WHERE src_id = $1 AND dst_id = $2 AND relation = $3`, [src, dst, relation]);
    return rows.length > 0;
  }

  /**
   * Inputs a later event of a RUNNING run announces (a START may list none, its COMPLETE some).
   * A finished run's inputs are fixed, so they are reported instead.
   */
  private async addInputs(viewer: Viewer, run: Run, inputs: DataVersion[], skipped: string[]): Promise<void> {
    const missing: DataVersion[] = [];
    for (const input of inputs) if (!(await this.hasEdge(input.id, run.id, LineageRelation.CONSUMED, 'in'))) missing.push(input);
    if (missing.length === 0) return;
    await auditedTransaction(this.dataSource, async (manager) => {
      const locked = await rowForRole(manager, Run, run.id, viewer, 'CONTRIBUTOR', 'Run', 'pessimistic_write');
      if (locked.status !== RunStatus.RUNNING) {
        skipped.push(`inputs ${missing.map((input) => input.id).join(', ')}: not linked, as run ${run.id} has ended and its inputs are fixed`);
        return;
      }
      await addLineageEdges(manager, locked.projectId, missing.map((input) => ({ srcId: input.id, dstId: locked.id, relation: LineageRelation.CONSUMED, role: DataRole.OTHER })));
      recordAudit(manager, viewer, {
        action: 'run.inputs_added',
        entityType: 'Run',
        entityId: locked.id,
        projectId: locked.projectId,
        after: { inputs: missing.map((input) => ({ dataVersionId: input.id, role: DataRole.OTHER })), source: 'openlineage' },
      });
    });
  }
}
