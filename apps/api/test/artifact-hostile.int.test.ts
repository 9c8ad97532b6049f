import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { artifactPathProblem } from '../src/modules/artifact/artifact-path';
import { runArtifactPath } from '../src/modules/artifact/artifact.types';
import { seedProject, seedUser, startRun } from './factories';
import { hostilePaths } from './fixtures/hostile-paths';
import { filesUnder, rawRequest, uploadArtifact } from './utils/artifact-http';
import { startTestApp, type TestApp } from './utils/test-app';

let app: TestApp;
let workDir: string;
let storeDir: string;
let canaryDir: string;

/** Snapshot of a directory tree: every file with its content hash, and its mtime. */
function snapshot(root: string): Record<string, string> {
  return Object.fromEntries(filesUnder(root).map((file) => [file, `${createHash('sha256').update(readFileSync(path.join(root, file))).digest('hex')} ${statSync(path.join(root, file)).mtimeMs}`]));
}

beforeAll(async () => {
  // The store and, beside it, a canary directory that every traversal would aim for.
  workDir = mkdtempSync(path.join(os.tmpdir(), 'pedigree-hostile-'));
  storeDir = path.join(workDir, 'store');
  canaryDir = path.join(workDir, 'canary');
  mkdirSync(canaryDir);
  writeFileSync(path.join(canaryDir, 'secret.txt'), 'canary secret\n');
  process.env.PEDIGREE_ARTIFACT_DIR = storeDir;
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
  delete process.env.PEDIGREE_ARTIFACT_DIR;
  rmSync(workDir, { recursive: true, force: true });
});

/** The path as a correct client sends it: each segment percent-encoded, so the server sees exactly `artifactPath`. */
const encodedRoute = (runId: string, artifactPath: string) => runArtifactPath(runId, artifactPath);
/** The path as an attacker may send it, byte for byte, when it is printable ASCII. */
const rawRoute = (runId: string, artifactPath: string) => (/^[\x21-\x7e]*$/.test(artifactPath) ? `/api/v1/runs/${runId}/artifacts/${artifactPath}` : null);

describe('a corpus of hostile artifact paths', () => {
  it('is refused at upload, download and finishRun, and nothing is read or written outside the store', async () => {
    const project = await seedProject(app);
    const contributor = await seedUser(app, { project: project.key, role: 'CONTRIBUTOR' });
    const run = await startRun(app, contributor.token, project.key);
    // One honest upload, so that the store exists and a traversal has something to climb out of.
    const honest = await uploadArtifact(app, contributor.token, run.id, 'model/model.pkl', 'honest bytes');
    expect(honest.status).toBe(201);
    const canaryBefore = snapshot(canaryDir);
    const storeBefore = snapshot(storeDir);

    const corpus = hostilePaths();
    expect(corpus.length).toBeGreaterThanOrEqual(1000);
    const answers: Array<{ artifactPath: string; route: string; method: string; status: number; body: string }> = [];
    for (const artifactPath of corpus) {
      const routes = [encodedRoute(run.id, artifactPath), rawRoute(run.id, artifactPath), `/api/v1/artifacts/${encodeURIComponent(artifactPath)}`, /^[\x21-\x7e]*$/.test(artifactPath) ? `/api/v1/artifacts/${artifactPath}` : null];
      for (const route of routes.filter((candidate): candidate is string => candidate !== null)) {
        for (const method of ['PUT', 'GET']) {
          if (method === 'PUT' && route.startsWith('/api/v1/artifacts/')) continue;
          const { status, body } = await rawRequest(app, method, route, contributor.token, method === 'PUT' ? 'hostile bytes' : undefined);
          answers.push({ artifactPath, route, method, status, body });
        }
      }
    }
    // Refused (400), or not found (404, also when the URL left the artifact routes); never served or stored.
    expect(answers.filter(({ status }) => status !== 400 && status !== 404)).toEqual([]);
    expect(answers.filter(({ body }) => body.includes('canary secret') || body.includes('root:'))).toEqual([]);
    expect(answers.length).toBeGreaterThanOrEqual(3000);

    const refusedByGraphQL = [];
    for (const artifactPath of corpus) {
      const result = await app.gql(`mutation($input: FinishRunInput!) { finishRun(input: $input) { id } }`, { input: { runId: run.id, status: 'FINISHED', artifacts: [{ path: artifactPath, uri: 's3://bucket/x' }] } }, contributor.token);
      if (result.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT') refusedByGraphQL.push(artifactPath);
    }
    expect(refusedByGraphQL).toHaveLength(corpus.length);

    expect(snapshot(canaryDir)).toEqual(canaryBefore);
    expect(readdirSync(workDir).sort()).toEqual(['canary', 'store']);
    expect(snapshot(storeDir)).toEqual(storeBefore);
    // The store holds content-addressed blobs only, each named by the hash of its bytes, and no temporary files.
    for (const file of filesUnder(storeDir)) {
      expect(file).toMatch(/^sha256\/([0-9a-f]{2})\/([0-9a-f]{2})\/\1\2[0-9a-f]{60}$/);
      expect(createHash('sha256').update(readFileSync(path.join(storeDir, file))).digest('hex')).toBe(path.basename(file));
    }
    const recorded: Array<{ path: string }> = await app.dataSource.query(`SELECT path FROM run_artifact WHERE run_id = $1`, [run.id]);
    expect(recorded.map((row) => row.path)).toEqual(['model/model.pkl']);
    expect(recorded.every((row) => artifactPathProblem(row.path) === null)).toBe(true);
  });
});
