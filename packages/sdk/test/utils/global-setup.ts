import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { apiEntry, sdkDir } from './paths';

export const ADMIN_EMAIL = 'admin@example.com';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Builds the SDK (the CLI tests run dist/cli.js, as `npx pedigree` would) and starts the built API
 * as a child process over a fresh embedded PostgreSQL, as on a fresh laptop: no DATABASE_URL.
 */
export default async function globalSetup(): Promise<void> {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(sdkDir, 'tsconfig.json')], { stdio: 'inherit' });
  if (!existsSync(apiEntry)) throw new Error(`${apiEntry} is missing: build the API first (npm run build, or cd apps/api && npx tsc -p tsconfig.build.json).`);

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pedigree-sdk-test-'));
  const port = await freePort();
  const adminPassword = `sdk-${randomBytes(9).toString('base64url')}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.NODE_ENV;
  const child = spawn(process.execPath, [apiEntry], {
    cwd: dataDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, PORT: String(port), PEDIGREE_DATA_DIR: dataDir, PEDIGREE_ADMIN_EMAIL: ADMIN_EMAIL, PEDIGREE_ADMIN_PASSWORD: adminPassword, PEDIGREE_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn' },
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(chunk.toString('utf8'));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The API exited at start:\n${output.join('')}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`The API did not answer within 60 s:\n${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.stdout.removeAllListeners('data');
  child.stderr.removeAllListeners('data');
  child.stdout.resume();
  child.stderr.resume();
  (globalThis as Record<string, unknown>).__PEDIGREE_SDK_API__ = { pid: child.pid, dataDir };
  process.env.PEDIGREE_TEST_API_URL = url;
  process.env.PEDIGREE_TEST_ADMIN_EMAIL = ADMIN_EMAIL;
  process.env.PEDIGREE_TEST_ADMIN_PASSWORD = adminPassword;
}
