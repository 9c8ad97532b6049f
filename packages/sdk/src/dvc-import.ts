import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { PedigreeClient } from './client';

/** One `deps` or `outs` entry of a dvc.lock stage. */
interface LockEntry {
  path: string;
  md5?: string;
  hash?: string;
  size?: number;
  nfiles?: number;
}

interface LockStage {
  cmd: string | string[];
  deps?: LockEntry[];
  outs?: LockEntry[];
  params?: Record<string, Record<string, unknown>>;
}

export interface DvcImportOptions {
  project: string;
  /** Experiment of the imported runs; default "dvc". */
  experiment?: string;
  /** The commit the lock file belongs to, recorded as each new run's code. */
  commit?: { repository: string; sha: string; branch?: string | null };
}

export interface ImportedEntry {
  path: string;
  dataVersionId: string;
  contentHash: string;
  hashAlgorithm: string;
}

export interface ImportedStage {
  stage: string;
  runId: string;
  /**
   * True when this import recorded the run (or finished one an interrupted import left RUNNING);
   * false when an earlier import, of this lock or another with the identical stage, had.
   */
  created: boolean;
  inputs: ImportedEntry[];
  outputs: ImportedEntry[];
  /** What could not be recorded, and why. */
  skipped: string[];
}

interface RegisteredEntry extends ImportedEntry {
  /** The run that produced the data version, if any has. */
  producedBy: string | null;
}

const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,249}$/;

/** A dvc.lock path as a dataset name: the path itself where it is a valid name. */
function datasetName(lockPath: string): string {
  if (DATASET_NAME.test(lockPath)) return lockPath;
  const cleaned = lockPath.replace(/[^A-Za-z0-9._/-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '');
  return (cleaned || 'dvc-path').slice(0, 250);
}

/** `hash: md5` marks DVC 3 hashing; entries without it were hashed by DVC 2 with line endings normalised. */
const hashAlgorithmOf = (entry: LockEntry) => (entry.hash === 'md5' ? 'md5' : 'md5-dos2unix');

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A run's idempotency key is the digest of its stage's name and content (cmd, deps, params, outs):
 * the same stage in two lock files, or one lock imported twice, is one run. That is also what
 * DVC means: an unchanged stage was not re-run, and one content has one producing run.
 */
export function stageKey(name: string, stage: LockStage): string {
  return `dvc-stage:${createHash('sha256').update(canonical({ name, stage }), 'utf8').digest('hex')}`;
}

function paramsOf(stage: LockStage): Array<{ key: string; value: string }> {
  const params: Array<{ key: string; value: string }> = [];
  for (const [file, values] of Object.entries(stage.params ?? {})) {
    for (const [key, value] of Object.entries(values ?? {})) {
      // Params from params.yaml, DVC's default file, keep their plain names.
      params.push({ key: file === 'params.yaml' ? key : `${file}:${key}`, value: typeof value === 'string' ? value : JSON.stringify(value) });
    }
  }
  return params;
}

/** Stages in an order where each comes after the stages whose outputs it reads. */
function dependencyOrder(stages: Array<[string, LockStage]>): Array<[string, LockStage]> {
  const producerOf = new Map<string, string>();
  for (const [name, stage] of stages) for (const out of stage.outs ?? []) producerOf.set(out.path, name);
  const byName = new Map(stages);
  const ordered: Array<[string, LockStage]> = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    if (state.get(name)) return;
    state.set(name, 'visiting');
    for (const dep of byName.get(name)?.deps ?? []) {
      const producer = producerOf.get(dep.path);
      if (producer && producer !== name && state.get(producer) !== 'visiting') visit(producer);
    }
    state.set(name, 'done');
    ordered.push([name, byName.get(name) as LockStage]);
  };
  for (const [name] of stages) visit(name);
  return ordered;
}

export function parseDvcLock(text: string): Array<[string, LockStage]> {
  const lock = parse(text) as { schema?: string; stages?: Record<string, LockStage> } | null;
  if (!lock || typeof lock !== 'object' || !lock.stages || typeof lock.stages !== 'object') {
    throw new Error('This is not a dvc.lock file: it has no "stages" mapping.');
  }
  return Object.entries(lock.stages);
}

/**
 * Imports a dvc.lock: each stage becomes a FINISHED run (entrypoint = cmd, params, deps as inputs,
 * outs as outputs), each dep and out a data version. Every write is idempotent (data versions by
 * content, commits by sha, runs by stage key), so importing the same lock again changes nothing.
 */
export async function importDvcLock(client: PedigreeClient, lockFile: string, options: DvcImportOptions): Promise<ImportedStage[]> {
  const stages = dependencyOrder(parseDvcLock(await readFile(lockFile, 'utf8')));
  const commitId = options.commit ? (await client.recordCommit({ project: options.project, ...options.commit })).id : null;

  const register = async (entry: LockEntry, skipped: string[], what: string): Promise<RegisteredEntry | null> => {
    if (!entry.md5) {
      skipped.push(`${what} ${entry.path}: no md5 in the lock (an import or URL dependency), so no data version`);
      return null;
    }
    const hashAlgorithm = hashAlgorithmOf(entry);
    const isDirectory = entry.md5.endsWith('.dir');
    const version = await client.registerDataVersion({
      project: options.project,
      dataset: datasetName(entry.path),
      contentHash: entry.md5,
      hashAlgorithm,
      sizeBytes: entry.size ?? null,
      fileCount: entry.nfiles ?? (isDirectory ? null : 1),
    });
    return { path: entry.path, dataVersionId: version.id, contentHash: version.contentHash, hashAlgorithm, producedBy: version.producedBy?.id ?? null };
  };

  const imported: ImportedStage[] = [];
  for (const [name, stage] of stages) {
    const skipped: string[] = [];
    const inputs = (await Promise.all((stage.deps ?? []).map((dep) => register(dep, skipped, 'dep')))).filter((entry): entry is RegisteredEntry => entry !== null);
    const run = await client.startRun({
      project: options.project,
      experiment: options.experiment ?? 'dvc',
      name,
      commitId,
      entrypoint: Array.isArray(stage.cmd) ? stage.cmd.join(' && ') : stage.cmd,
      params: paramsOf(stage),
      tags: [{ key: 'dvc.stage', value: name }],
      inputs: inputs.map((input) => ({ dataVersionId: input.dataVersionId, role: 'OTHER' as const })),
      idempotencyKey: stageKey(name, stage),
    });
    const created = run.status === 'RUNNING';
    const outputs = (await Promise.all((stage.outs ?? []).map((out) => register(out, skipped, 'out')))).filter((entry): entry is RegisteredEntry => entry !== null);
    if (created) {
      const producedHere = outputs.filter(({ producedBy, path, contentHash }) => {
        if (producedBy && producedBy !== run.id) skipped.push(`out ${path}: ${contentHash} was already produced by run ${producedBy}; one content has one producing run`);
        return !producedBy || producedBy === run.id;
      });
      await client.finishRun({ runId: run.id, status: 'FINISHED', outputs: producedHere.map((output) => output.dataVersionId) });
    }
    const strip = ({ path, dataVersionId, contentHash, hashAlgorithm }: RegisteredEntry): ImportedEntry => ({ path, dataVersionId, contentHash, hashAlgorithm });
    imported.push({ stage: name, runId: run.id, created, inputs: inputs.map(strip), outputs: outputs.map(strip), skipped });
  }
  return imported;
}
