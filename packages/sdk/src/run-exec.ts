import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { environmentOf, gitState } from './capture';
import { type PedigreeClient, PedigreeError } from './client';
import type { ArtifactInput, DataRole, MetricInput } from './gql/graphql';

export interface RunExecOptions {
  project: string;
  experiment: string;
  name?: string | null;
  inputs: Array<{ dataVersionId: string; role: DataRole }>;
  params: Array<{ key: string; value: string }>;
  command: string[];
  cwd: string;
  /** How long the log upload may take before the log is kept locally instead; default 60 s. */
  uploadTimeoutMs?: number;
  /** Where progress notes go (the command's own output passes through untouched). */
  note(message: string): void;
}

export interface RunExecResult {
  runId: string;
  commitId: string | null;
  status: 'FINISHED' | 'FAILED' | 'KILLED';
  exitCode: number;
  metricsLogged: number;
  wallTimeSeconds: number;
  cpuTimeSeconds: number | null;
  peakMemoryBytes: number | null;
  log: { path: string; uri: string; digest: string; sizeBytes: number; uploaded: boolean };
}

/** Lines of stderr kept for the error message of a failed run. */
const STDERR_TAIL_LINES = 20;
const METRIC_FLUSH_MS = 2000;
/** Linux's USER_HZ, the unit of the CPU times in /proc/<pid>/stat; 100 on every mainstream kernel. */
const CLOCK_TICKS_PER_SECOND = 100;

/** A line such as {"pedigree_metric": "val_loss", "value": 0.3, "step": 5}, or null. */
export function metricOfLine(line: string): MetricInput | null {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.includes('pedigree_metric')) return null;
  try {
    const parsed = JSON.parse(trimmed) as { pedigree_metric?: unknown; value?: unknown; step?: unknown };
    if (typeof parsed.pedigree_metric !== 'string' || typeof parsed.value !== 'number' || !Number.isFinite(parsed.value)) return null;
    const step = Number.isSafeInteger(parsed.step) && (parsed.step as number) >= 0 ? (parsed.step as number) : 0;
    return { key: parsed.pedigree_metric, value: parsed.value, step, timestamp: new Date().toISOString() };
  } catch {
    return null;
  }
}

/** CPU seconds of this process's reaped children (user + system), from /proc; null off Linux. */
function childrenCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name, which may contain spaces, start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Resident bytes of a process and all its descendants now, from /proc; null when unreadable. */
function treeResidentBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    let total = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) total += treeResidentBytes(Number(child)) ?? 0;
    }
    return total;
  } catch {
    return null;
  }
}

const shellQuote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/**
 * Runs a command as a Pedigree run: records the commit and environment, starts the run, streams
 * the command's output through while keeping it as a log and reading metric lines, then finishes
 * the run with the exit status, resource use and the log artifact.
 */
export async function runExec(client: PedigreeClient, options: RunExecOptions): Promise<RunExecResult> {
  const git = gitState(options.cwd);
  const commit = git ? await client.recordCommit({ project: options.project, ...git }) : null;
  if (!git) options.note('not in a git work tree: the run is recorded without a commit');
  const entrypoint = options.command.map(shellQuote).join(' ');
  const run = await client.startRun({
    project: options.project,
    experiment: options.experiment,
    name: options.name ?? null,
    commitId: commit?.id ?? null,
    entrypoint,
    environment: { ...environmentOf(options.cwd), cwd: options.cwd },
    params: options.params,
    inputs: options.inputs,
  });
  options.note(`run ${run.id} started: ${entrypoint}`);

  const logChunks: Buffer[] = [];
  const stderrTail: string[] = [];
  let pending: MetricInput[] = [];
  let metricsLogged = 0;
  let metricFailure: string | null = null;
  let flushing: Promise<void> = Promise.resolve();
  const flush = () => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return flushing;
    flushing = flushing.then(async () => {
      try {
        metricsLogged += await client.logMetrics(run.id, batch);
      } catch (error) {
        metricFailure = (error as Error).message;
      }
    });
    return flushing;
  };

  const lineReader = (onLine: (line: string) => void) => {
    let partial = '';
    return {
      push(chunk: Buffer) {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        lines.forEach(onLine);
      },
      end() {
        if (partial) onLine(partial);
        partial = '';
      },
    };
  };
  const stdoutLines = lineReader((line) => {
    const metric = metricOfLine(line);
    if (metric) pending.push(metric);
  });
  const stderrLines = lineReader((line) => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
  });

  const cpuBefore = childrenCpuSeconds();
  const started = process.hrtime.bigint();
  let peakMemoryBytes: number | null = null;
  const child = spawn(options.command[0], options.command.slice(1), { cwd: options.cwd, stdio: ['inherit', 'pipe', 'pipe'] });
  // Peak memory is sampled (every 100 ms, over the command's process tree): a command that ends
  // before the first sample has none recorded.
  const sample = () => {
    const resident = child.pid ? treeResidentBytes(child.pid) : null;
    if (resident !== null) peakMemoryBytes = Math.max(peakMemoryBytes ?? 0, resident);
  };
  const sampler = setInterval(sample, 100);
  const flusher = setInterval(flush, METRIC_FLUSH_MS);
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);

  child.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    logChunks.push(chunk);
    stdoutLines.push(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    logChunks.push(chunk);
    stderrLines.push(chunk);
  });

  const outcome = await new Promise<{ exitCode: number; signal: NodeJS.Signals | null; spawnError: string | null }>((resolve) => {
    child.on('error', (error: NodeJS.ErrnoException) => resolve({ exitCode: error.code === 'ENOENT' ? 127 : 126, signal: null, spawnError: `${options.command[0]}: ${error.code === 'ENOENT' ? 'command not found' : error.message}` }));
    child.on('close', (code, signal) => resolve({ exitCode: code ?? 128 + (signal ? os.constants.signals[signal] : 0), signal, spawnError: null }));
  });
  clearInterval(sampler);
  clearInterval(flusher);
  process.off('SIGINT', onInt);
  process.off('SIGTERM', onTerm);
  stdoutLines.end();
  stderrLines.end();
  const wallTimeSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = childrenCpuSeconds();
  const cpuTimeSeconds = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;

  const resources: MetricInput[] = [
    { key: 'system.wall_time_seconds', value: wallTimeSeconds, step: 0 },
    ...(cpuTimeSeconds !== null ? [{ key: 'system.cpu_time_seconds', value: cpuTimeSeconds, step: 0 }] : []),
    ...(peakMemoryBytes !== null ? [{ key: 'system.peak_memory_bytes', value: peakMemoryBytes, step: 0 }] : []),
    { key: 'system.exit_code', value: outcome.exitCode, step: 0 },
  ];
  pending.push(...resources);
  await flush();
  if (metricFailure) options.note(`some metrics were not recorded: ${metricFailure}`);

  const log = await keepLog(client, run.id, Buffer.concat(logChunks), options.uploadTimeoutMs, options.note);
  const status = outcome.signal === 'SIGINT' || outcome.signal === 'SIGTERM' ? 'KILLED' : outcome.exitCode === 0 ? 'FINISHED' : 'FAILED';
  const tail = stderrTail.join('\n').trim();
  const errorMessage = status === 'FINISHED' ? null : [outcome.spawnError ?? `exit code ${outcome.exitCode}${outcome.signal ? ` (${outcome.signal})` : ''}`, tail && `last lines of stderr:\n${tail}`].filter(Boolean).join('\n').slice(-10_000);
  const artifacts: ArtifactInput[] = log.uploaded ? [] : [{ path: log.path, uri: log.uri, digest: log.digest, sizeBytes: log.sizeBytes, kind: 'log' }];
  await client.finishRun({ runId: run.id, status, errorMessage, artifacts });
  options.note(`run ${run.id} ${status} (exit code ${outcome.exitCode})`);
  return { runId: run.id, commitId: commit?.id ?? null, status, exitCode: outcome.exitCode, metricsLogged, wallTimeSeconds, cpuTimeSeconds, peakMemoryBytes, log };
}

const LOG_PATH = 'logs/output.log';

/**
 * Uploads the log to the run's artifact store; an API without one gets a reference to a copy
 * kept in the temp directory, with its digest, so the record still says which bytes it was.
 */
async function keepLog(client: PedigreeClient, runId: string, bytes: Buffer, timeoutMs: number | undefined, note: (message: string) => void): Promise<RunExecResult['log']> {
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  try {
    const uploaded = await client.uploadArtifact(runId, LOG_PATH, bytes, { kind: 'log', digest, mediaType: 'text/plain; charset=utf-8', timeoutMs });
    if (uploaded) return { path: LOG_PATH, uri: uploaded.downloadUrl ? `${client.baseUrl}${uploaded.downloadUrl}` : `pedigree://runs/${runId}/${LOG_PATH}`, digest, sizeBytes: bytes.length, uploaded: true };
  } catch (error) {
    if (!(error instanceof PedigreeError)) throw error;
    note(`the log upload failed (${error.message})`);
  }
  const file = path.join(os.tmpdir(), 'pedigree-runs', runId, 'output.log');
  mkdirSync(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
  return { path: LOG_PATH, uri: pathToFileURL(file).href, digest, sizeBytes: bytes.length, uploaded: false };
}
