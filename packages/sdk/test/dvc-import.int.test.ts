import path from 'node:path';
import { digestFromDvcMd5 } from '../src/hashing';
import { admin, cli, graphql, jsonOf, seedMember, seedProject } from './utils/api';
import { fixturesDir } from './utils/paths';

// The lock files of iterative/example-get-started at three registry tags, in git order (test/fixtures/DVC-SOURCES.md).
const LOCKS = [
  { tag: 'v1.0.0', file: 'dvc.lock.v1.0.0-prod@0d46eb4', commit: '0d46eb42e874eb1f681adda2aa772b6d1ea2bb97', modelMd5: 'cfa72ff6e2575c44f78f423cada5b783' },
  { tag: 'v1.1.0', file: 'dvc.lock.v1.1.0-stage@e4bc9b0', commit: 'e4bc9b0445bce5d075d1a4b8a7bd758e1d4eb1cb', modelMd5: 'd1f6e055f7f5e2827fcfae68d9b64d4c' },
  { tag: 'v1.2.0', file: 'dvc.lock.v1.2.0-dev@06ea489', commit: '06ea48980a34ef57041c9b905cafcb40d9c3ddbc', modelMd5: 'd1f6e055f7f5e2827fcfae68d9b64d4c' },
];
const REPOSITORY = 'https://github.com/iterative/example-get-started';
const importArgs = (lock: (typeof LOCKS)[number], project: string) => ['data', 'import-dvc', path.join(fixturesDir, lock.file), '--project', project, '--commit', lock.commit, '--repository', REPOSITORY, '--json'];
const RAW_DATA_MD5 = '22a1a2931c8370d3aeedd7183606fd7f';
const MODEL = 'text-classification';

interface ImportedStage {
  stage: string;
  runId: string;
  created: boolean;
  outputs: Array<{ path: string; contentHash: string; hashAlgorithm: string }>;
  skipped: string[];
}

const auditHead = async (project: string) => (await graphql(`query($p: String!) { auditHead(project: $p) { seq hash } }`, { p: project }, await admin())).auditHead;

describe('pedigree data import-dvc, with the example-get-started lock files', () => {
  let project: { key: string; token: string };
  const imports: ImportedStage[][] = [];
  const versions: Array<{ id: string; version: number }> = [];

  beforeAll(async () => {
    project = await seedProject();
    for (const lock of LOCKS) {
      const answer = jsonOf<{ stages: ImportedStage[] }>(await cli(importArgs(lock, project.key), { token: project.token }));
      imports.push(answer.stages);
      // Each tag's model is registered from the train stage of its lock; DVC knows model.pkl only by md5.
      const train = answer.stages.find((stage) => stage.stage === 'train')!;
      const registered = await cli(
        ['model', 'register', '--run', train.runId, '--model', MODEL, '--artifact', `dvc://example-get-started/model.pkl@${lock.tag}`, '--dvc-md5', lock.modelMd5, '--description', lock.tag, '--idempotency-key', `${MODEL}@${lock.tag}`, '--json'],
        { token: project.token },
      );
      versions.push(jsonOf(registered));
    }
  });

  it('records each stage as a finished run, with md5 data versions and directory hashes', async () => {
    expect(imports[0].map((stage) => [stage.stage, stage.created])).toEqual([
      ['prepare', true],
      ['featurize', true],
      ['train', true],
      ['evaluate', true],
    ]);
    const prepare = imports[0][0];
    expect(prepare.outputs).toEqual([expect.objectContaining({ path: 'data/prepared', contentHash: '153aad06d376b6595932470e459ef42a.dir', hashAlgorithm: 'md5' })]);
    const run = (await graphql(`query($id: ID!) { run(id: $id) { status entrypoint params { key value } inputs { dataVersion { contentHash fileCount sizeBytes dataset { name } } } outputs { fileCount sizeBytes } } }`, { id: prepare.runId }, project.token)).run;
    expect(run).toMatchObject({ status: 'FINISHED', entrypoint: 'python src/prepare.py data/data.xml', outputs: [{ fileCount: 2, sizeBytes: 8437363 }] });
    expect(run.params).toEqual(expect.arrayContaining([{ key: 'prepare.seed', value: '20170428' }, { key: 'prepare.split', value: '0.2' }]));
    expect(run.inputs).toEqual(expect.arrayContaining([{ dataVersion: { contentHash: RAW_DATA_MD5, fileCount: 1, sizeBytes: 14445097, dataset: { name: 'data/data.xml' } } }]));
  });

  it('records an unchanged stage once: later locks reuse its run', () => {
    // v1.1.0 changed featurize and train; prepare and the stale evaluate are the v1.0.0 stages.
    expect(imports[1].map((stage) => [stage.stage, stage.created])).toEqual([
      ['prepare', false],
      ['featurize', true],
      ['train', true],
      ['evaluate', false],
    ]);
    expect(imports[1][0].runId).toBe(imports[0][0].runId);
    expect(imports[1][3].runId).toBe(imports[0][3].runId);
    // v1.2.0 re-ran only evaluate.
    expect(imports[2].map((stage) => stage.created)).toEqual([false, false, false, true]);
    expect(imports[2][2].runId).toBe(imports[1][2].runId);
  });

  it('changes nothing when the same lock is imported again', async () => {
    const before = await auditHead(project.key);
    for (const lock of LOCKS) {
      const again = jsonOf<{ stages: ImportedStage[] }>(await cli(importArgs(lock, project.key), { token: project.token }));
      expect(again.stages.every((stage) => !stage.created)).toBe(true);
    }
    const registeredAgain = jsonOf(await cli(['model', 'register', '--run', imports[2][2].runId, '--model', MODEL, '--artifact', 'dvc://example-get-started/model.pkl@v1.2.0', '--dvc-md5', LOCKS[2].modelMd5, '--idempotency-key', `${MODEL}@v1.2.0`, '--json'], { token: project.token }));
    expect(registeredAgain.id).toBe(versions[2].id);
    expect(await auditHead(project.key)).toEqual(before);
  });

  it('finds every model version trained on the raw data version', async () => {
    const answer = jsonOf(await cli(['impact', RAW_DATA_MD5, '--project', project.key, '--json'], { token: project.token }));
    expect(answer.matches).toEqual([expect.objectContaining({ kind: 'DataVersion' })]);
    expect(answer.complete).toBe(true);
    expect(answer.modelVersions.map((version: { version: number }) => version.version).sort()).toEqual([1, 2, 3]);

    const text = await cli(['impact', RAW_DATA_MD5, '--project', project.key], { token: project.token });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/reaches 3 model versions:/);
  });

  it('shows two versions with the same model.pkl bytes as the same artifact', async () => {
    const [v1, v2, v3] = versions;
    const sameAs = async (id: string) => (await graphql(`query($id: ID!) { modelVersion(id: $id) { artifactDigest sameArtifactAs { id } } }`, { id }, project.token)).modelVersion;
    expect((await sameAs(v2.id)).sameArtifactAs).toEqual([{ id: v3.id }]);
    expect((await sameAs(v3.id)).sameArtifactAs).toEqual([{ id: v2.id }]);
    expect((await sameAs(v1.id)).sameArtifactAs).toEqual([]);
    expect((await sameAs(v2.id)).artifactDigest).toBe(digestFromDvcMd5('d1f6e055f7f5e2827fcfae68d9b64d4c'));
  });

  it('promotes a version and traces the production model to its raw data', async () => {
    const staged = jsonOf(await cli(['model', 'promote', MODEL, '3', '--to', 'staging', '--project', project.key, '--comment', 'bigrams', '--json'], { token: project.token }));
    expect(staged.status).toBe('APPLIED');
    const requested = jsonOf(await cli(['model', 'promote', MODEL, 'v3', '--to', 'PRODUCTION', '--project', project.key, '--json'], { token: project.token }));
    expect(requested.status).toBe('PENDING');
    const reviewer = await seedMember(project.key, 'REVIEWER');
    await graphql(`mutation($input: ReviewTransitionInput!) { reviewTransition(input: $input) { status } }`, { input: { requestId: requested.id, decision: 'APPROVE' } }, reviewer);

    const tree = await cli(['trace', `${MODEL}@production`, '--project', project.key], { token: project.token });
    expect(tree.code).toBe(0);
    expect(tree.stdout).toMatch(/^text-classification v3 \(PRODUCTION\)/);
    for (const line of [/run train .* FINISHED {2}\$ python src\/train.py data\/features model.pkl/, /run featurize/, /run prepare/, /commit https:\/\/github.com\/iterative\/example-get-started@e4bc9b0445bc/, /data\/data.xml 22a1a2931c83… \(md5\) {2}\[source\]/, /same bytes as text-classification v2/]) {
      expect(tree.stdout).toMatch(line);
    }
    const json = jsonOf(await cli(['trace', `${MODEL}@production`, '--project', project.key, '--json'], { token: project.token }));
    expect(json.dataVersions.map((version: { contentHash: string }) => version.contentHash)).toContain(RAW_DATA_MD5);
    expect(json.runs.map((run: { name: string }) => run.name).sort()).toEqual(['featurize', 'prepare', 'train']);
  });
});
