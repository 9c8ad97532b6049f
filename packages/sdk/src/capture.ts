import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface GitState {
  repository: string;
  sha: string;
  branch: string | null;
  author: string | null;
  message: string | null;
  committedAt: string | null;
  dirty: boolean;
}

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** The commit checked out in `cwd`, or null outside a git work tree (or without git). */
export function gitState(cwd: string): GitState | null {
  const sha = git(cwd, ['rev-parse', 'HEAD']);
  if (!sha) return null;
  const toplevel = git(cwd, ['rev-parse', '--show-toplevel']) ?? cwd;
  const branch = git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  const [author, committedAt, ...message] = (git(cwd, ['log', '-1', '--format=%an <%ae>%n%cI%n%B']) ?? '').split('\n');
  return {
    repository: git(cwd, ['config', '--get', 'remote.origin.url']) || `file://${toplevel}`,
    sha,
    branch: branch && branch !== 'HEAD' ? branch : null,
    author: author || null,
    message: message.join('\n').trim() || null,
    committedAt: committedAt || null,
    // Untracked files count: a training script not yet committed is code the commit does not hold.
    dirty: (git(cwd, ['status', '--porcelain']) ?? '') !== '',
  };
}

/** Files that pin an environment; their sha256 says whether two runs had the same one. */
export const LOCK_FILES = ['requirements.txt', 'poetry.lock', 'Pipfile.lock', 'uv.lock', 'environment.yml', 'conda-lock.yml', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'Dockerfile'];

function version(command: string, args: string[]): string | null {
  try {
    const output = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    return output.trim().split('\n').pop() || null;
  } catch {
    return null;
  }
}

/** OS, runtimes found on PATH, and hashes of the lock files in `cwd`: what `run exec` records. */
export function environmentOf(cwd: string): Record<string, unknown> {
  const lockFiles: Record<string, string> = {};
  for (const name of LOCK_FILES) {
    const file = path.join(cwd, name);
    if (existsSync(file)) lockFiles[name] = `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
  }
  const runtimes: Record<string, string> = { node: process.version };
  for (const [name, command] of [['python', 'python3'], ['cuda', 'nvcc']] as const) {
    const found = version(command, ['--version']);
    if (found) runtimes[name] = found;
  }
  return {
    os: { platform: process.platform, release: os.release(), arch: process.arch, cpus: os.cpus().length, memoryBytes: os.totalmem() },
    hostname: os.hostname(),
    runtimes,
    lockFiles,
  };
}
