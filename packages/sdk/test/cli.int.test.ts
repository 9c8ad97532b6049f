import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { cli, graphql, jsonOf, seedProject } from './utils/api';

const RUN = `query($id: ID!) { run(id: $id) {
  status entrypoint errorMessage environment params { key value } inputs { role dataVersion { id } }
  commit { sha branch dirty message } metricHistory(key: "val_loss") { step value } metrics { key value } artifacts { path kind digest sizeBytes uri }
} }`;

let workdir: string;
let project: { key: string; token: string };

beforeAll(async () => {
  project = await seedProject();
  workdir = await mkdtemp(path.join(os.tmpdir(), 'pedigree-cli-'));
  const git = (...args: string[]) => promisify(execFile)('git', ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', ...args], { cwd: workdir });
  await git('init', '-q', '-b', 'main');
  await writeFile(path.join(workdir, 'requirements.txt'), 'scikit-learn==1.5.0\n');
  await writeFile(path.join(workdir, 'train.js'), [
    'console.log("epoch 0");',
    'for (let step = 0; step < 3; step++) console.log(JSON.stringify({ pedigree_metric: "val_loss", value: 1 / (step + 1), step }));',
    'console.error("warning: small data");',
    // Long enough for the memory sampler to see it.
    'setTimeout(() => process.exit(Number(process.argv[2] ?? 0)), 400);',
  ].join('\n'));
  await git('add', '.');
  await git('commit', '-q', '-m', 'Add training');
});
afterAll(() => rm(workdir, { recursive: true, force: true }));

describe('pedigree run exec', () => {
  it('records the commit, environment, metrics, resources and log of a command that succeeds', async () => {
    const data = (await graphql(`mutation($input: RegisterDataVersionInput!) { registerDataVersion(input: $input) { id } }`, { input: { project: project.key, dataset: 'train', contentHash: 'a'.repeat(32) } }, project.token)).registerDataVersion;
    const result = await cli(['run', 'exec', '--project', project.key, '--experiment', 'cli', '--name', 'train', '--input', `${data.id}:train`, '--param', 'lr=0.1', '--json', '--', process.execPath, 'train.js', '0'], { token: project.token, cwd: workdir });
    expect(result.code).toBe(0);
    // The command's own output passes through; the JSON answer is the last thing on stdout.
    expect(result.stdout).toMatch(/^epoch 0\n/);
    expect(result.stderr).toMatch(/warning: small data/);
    const answer = JSON.parse(result.stdout.slice(result.stdout.indexOf('{\n')));
    expect(answer).toMatchObject({ status: 'FINISHED', exitCode: 0, metricsLogged: expect.any(Number) });

    const run = (await graphql(RUN, { id: answer.runId }, project.token)).run;
    expect(run.status).toBe('FINISHED');
    expect(run.entrypoint).toBe(`${process.execPath} train.js 0`);
    expect(run.commit).toMatchObject({ branch: 'main', dirty: false, message: 'Add training' });
    expect(run.inputs).toEqual([{ role: 'TRAIN', dataVersion: { id: data.id } }]);
    expect(run.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(run.environment.lockFiles['requirements.txt']).toBe(`sha256:${createHash('sha256').update('scikit-learn==1.5.0\n').digest('hex')}`);
    expect(run.environment.runtimes.node).toBe(process.version);
    expect(run.metricHistory).toEqual([{ step: 0, value: 1 }, { step: 1, value: 0.5 }, { step: 2, value: 1 / 3 }]);
    const keys = run.metrics.map((metric: { key: string }) => metric.key);
    expect(keys).toEqual(expect.arrayContaining(['system.wall_time_seconds', 'system.cpu_time_seconds', 'system.peak_memory_bytes', 'system.exit_code']));
    const [log] = run.artifacts;
    expect(log.path).toBe('logs/output.log');
    expect(log.kind.toLowerCase()).toBe('log');
    expect(log.digest).toBe(answer.log.digest);
    expect(log.sizeBytes).toBeGreaterThan(0);

    const downloaded = path.join(workdir, 'downloaded.log');
    const get = await cli(['artifact', 'get', log.digest, '-o', downloaded], { token: project.token, cwd: workdir });
    expect(get.code).toBe(0);
    expect(readFileSync(downloaded, 'utf8')).toMatch(/^epoch 0\n/);
    const missing = await cli(['artifact', 'get', `sha256:${'0'.repeat(64)}`, '-o', downloaded], { token: project.token, cwd: workdir });
    expect(missing.code).toBe(3);
  });

  it('marks the run FAILED with the exit code and the end of stderr, and exits with the same code', async () => {
    const result = await cli(['run', 'exec', '--project', project.key, '--experiment', 'cli', '--', process.execPath, 'train.js', '3'], { token: project.token, cwd: workdir });
    expect(result.code).toBe(3);
    const runId = /run (\S+) started/.exec(result.stderr)![1];
    const run = (await graphql(RUN, { id: runId }, project.token)).run;
    expect(run.status).toBe('FAILED');
    expect(run.errorMessage).toBe('exit code 3\nlast lines of stderr:\nwarning: small data');
  });

  it('exits 127 when the command does not exist', async () => {
    const result = await cli(['run', 'exec', '--project', project.key, '--experiment', 'cli', '--', 'no-such-command-pedigree'], { token: project.token, cwd: workdir });
    expect(result.code).toBe(127);
  });
});

describe('pedigree data add', () => {
  it('registers a directory under its DVC directory hash, with its file count and size', async () => {
    const dir = path.join(workdir, 'prepared');
    await mkdir(path.join(dir, 'sub'), { recursive: true });
    await writeFile(path.join(dir, 'train.tsv'), 'a\tb\n');
    await writeFile(path.join(dir, 'sub', 'test.tsv'), 'c\td\n');
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    const listing = `[{"md5": "${md5('c\td\n')}", "relpath": "sub/test.tsv"}, {"md5": "${md5('a\tb\n')}", "relpath": "train.tsv"}]`;
    const version = jsonOf(await cli(['data', 'add', dir, '--project', project.key, '--dataset', 'data/prepared', '--json'], { token: project.token }));
    expect(version).toMatchObject({ contentHash: `${md5(listing)}.dir`, hashAlgorithm: 'md5', fileCount: 2, sizeBytes: 8 });
    const again = jsonOf(await cli(['data', 'add', dir, '--project', project.key, '--dataset', 'data/prepared', '--json'], { token: project.token }));
    expect(again.id).toBe(version.id);
  });
});

describe('pedigree exit codes', () => {
  it('tells usage, not found, denied and unreachable apart', async () => {
    expect((await cli(['impact'], { token: project.token })).code).toBe(2);
    expect((await cli(['nonsense'], { token: project.token })).code).toBe(2);
    expect((await cli(['--help'])).code).toBe(0);
    const missing = await cli(['impact', 'ffffffffffff', '--project', project.key, '--json'], { token: project.token });
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.stdout).error.code).toBe('NOT_FOUND');
    expect((await cli(['trace', 'nothing@production', '--project', project.key], { token: project.token })).code).toBe(3);
    expect((await cli(['impact', 'abcd', '--project', project.key], { token: 'pdg_unknown' })).code).toBe(4);
    const unreachable = await cli(['impact', 'abcd', '--project', project.key], { token: project.token, env: { PEDIGREE_URL: 'http://127.0.0.1:9' } });
    expect(unreachable.code).toBe(5);
    expect(unreachable.stderr).toMatch(/Cannot reach the Pedigree API at http:\/\/127.0.0.1:9/);
  });
});
