import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { apiUrl, graphql, seedProject } from './utils/api';
import { sdkDir } from './utils/paths';

const CLIENT_DIR = path.resolve(sdkDir, '..', 'sdk-python');

it('records a run, its metrics and a model version from a Python training script', async () => {
  const project = await seedProject('CONTRIBUTOR');
  const data = (await graphql(`mutation($input: RegisterDataVersionInput!) { registerDataVersion(input: $input) { id } }`, { input: { project: project.key, dataset: 'train', contentHash: 'c'.repeat(32) } }, project.token)).registerDataVersion;
  const workdir = await mkdtemp(path.join(os.tmpdir(), 'pedigree-py-'));
  try {
    await promisify(execFile)('git', ['init', '-q', '-b', 'main'], { cwd: workdir });
    await promisify(execFile)('git', ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', 'commit', '-q', '--allow-empty', '-m', 'Train'], { cwd: workdir });
    const { stdout } = await promisify(execFile)('python3', [path.join(__dirname, 'python', 'train.py'), CLIENT_DIR, project.key, data.id, workdir], {
      // No __pycache__ beside the client in the repository.
      env: { ...process.env, PEDIGREE_URL: apiUrl(), PEDIGREE_TOKEN: project.token, PYTHONDONTWRITEBYTECODE: '1' },
    });
    const result = JSON.parse(stdout);
    expect(result.status).toBe('FINISHED');
    expect(result.version).toMatchObject({ version: 1, stage: 'NONE', artifactDigest: `sha256:${require('node:crypto').createHash('sha256').update('weights').digest('hex')}` });
    expect(result.again.id).toBe(result.version.id);
    expect(result.refused).toBe('UNAUTHENTICATED');

    const run = (await graphql(
      `query($id: ID!) { run(id: $id) { status params { key value } tags { key value } inputs { role dataVersion { id } } commit { author message dirty branch } environment metricHistory(key: "val_loss") { step value } metrics { key value step } } }`,
      { id: result.runId },
      project.token,
    )).run;
    expect(run.params).toEqual(expect.arrayContaining([{ key: 'lr', value: '0.01' }, { key: 'epochs', value: '3' }]));
    expect(run.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'ml' }]));
    expect(run.inputs).toEqual([{ role: 'TRAIN', dataVersion: { id: data.id } }]);
    // model.pkl was written into the work tree after the commit, so the tree was clean at start.
    expect(run.commit).toEqual({ author: 'Ada <ada@example.com>', message: 'Train', dirty: false, branch: 'main' });
    expect(run.environment.runtimes.python).toMatch(/^3\./);
    expect(run.metricHistory.map((point: { step: number }) => point.step)).toEqual([0, 1, 2, 3, 4]);
    expect(run.metrics).toEqual(expect.arrayContaining([{ key: 'val_auc', value: 0.93, step: 4 }]));

    const failed = (await graphql(`query($id: ID!) { run(id: $id) { status errorMessage } }`, { id: result.failedRunId }, project.token)).run;
    expect(failed).toEqual({ status: 'FAILED', errorMessage: 'RuntimeError: out of memory' });
  } finally {
    await rm(workdir, { recursive: true, force: true });
  }
});
