import { spawn, type ChildProcess } from 'node:child_process';

const OUTPUT_LINES_KEPT = 200;

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Settles when the process exits, with its exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** The last lines it wrote to stdout and stderr, for failure messages. */
  outputTail(): string;
}

/**
 * Starts a process as the leader of its own process group, so that stopping it also stops what it
 * spawned (the API's embedded PostgreSQL, Next's workers).
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.length > 0));
    if (lines.length > OUTPUT_LINES_KEPT) lines.splice(0, lines.length - OUTPUT_LINES_KEPT);
    if (process.env.PEDIGREE_E2E_VERBOSE) process.stderr.write(`[${name}] ${chunk.toString('utf8')}`);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', (error) => {
      lines.push(`spawn failed: ${error.message}`);
      resolve(null);
    });
  });
  return { name, child, exited, outputTail: () => lines.join('\n') };
}

export function hasExited(proc: ManagedProcess): boolean {
  return proc.child.exitCode !== null || proc.child.signalCode !== null;
}

/** SIGTERM to the whole group, then SIGKILL to whatever is still alive after `graceMs`. */
export async function stopProcess(proc: ManagedProcess, graceMs = 15_000): Promise<void> {
  const pid = proc.child.pid;
  if (pid === undefined) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  // The leader may exit before its children (PostgreSQL shuts down on its own schedule), so wait for the group.
  while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
  await proc.exited;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
