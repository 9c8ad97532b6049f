import { rmSync } from 'node:fs';

const alive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Stops the API's process group (the API and its embedded PostgreSQL), then removes its data. */
export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__PEDIGREE_SDK_API__ as { pid: number; dataDir: string } | undefined;
  if (!started) return;
  if (alive(started.pid)) process.kill(-started.pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (alive(started.pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive(started.pid)) process.kill(-started.pid, 'SIGKILL');
  rmSync(started.dataDir, { recursive: true, force: true });
}
