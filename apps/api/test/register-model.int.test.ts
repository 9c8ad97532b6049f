import { digest, hex, seedProject, seedUser } from './factories';
import { ok, startTestApp, type TestApp } from './utils/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('registering a model from a finished run, over HTTP', () => {
  it('records commit, data, run, metrics and a version, and traces the version back to all of them', async () => {
    const project = await seedProject(app);
    const scientist = await seedUser(app, { project: project.key, role: 'CONTRIBUTOR' });
    const gql = (query: string, variables: Record<string, unknown>) => app.gql(query, variables, scientist.token).then(ok);

    const sha = hex('commit-1', 'sha1');
    const { recordCommit: commit } = await gql(
      `mutation($input: RecordCommitInput!) { recordCommit(input: $input) { id sha repository dirty } }`,
      { input: { project: project.key, repository: 'github.com/acme/fraud', sha: sha.toUpperCase(), branch: 'main', author: 'Ada', message: 'Train v1', committedAt: '2026-10-01T10:00:00Z' } },
    );
    expect(commit).toMatchObject({ sha, dirty: false });

    const { registerDataVersion: raw } = await gql(
      `mutation($input: RegisterDataVersionInput!) { registerDataVersion(input: $input) { id contentHash hashAlgorithm sizeBytes } }`,
      { input: { project: project.key, dataset: 'data/data.xml', contentHash: '22a1a2931c8370d3aeedd7183606fd7f', sizeBytes: 14445097 } },
    );
    expect(raw).toMatchObject({ contentHash: '22a1a2931c8370d3aeedd7183606fd7f', hashAlgorithm: 'md5', sizeBytes: 14445097 });

    const { registerDataVersion: prepared } = await gql(
      `mutation($input: RegisterDataVersionInput!) { registerDataVersion(input: $input) { id contentHash fileCount derivedFrom { id } } }`,
      { input: { project: project.key, dataset: 'data/prepared', contentHash: '153aad06d376b6595932470e459ef42a.dir', fileCount: 2, derivedFrom: [raw.id] } },
    );
    expect(prepared.derivedFrom).toEqual([{ id: raw.id }]);

    const { startRun: run } = await gql(
      `mutation($input: StartRunInput!) { startRun(input: $input) { id status experiment { name } } }`,
      {
        input: {
          project: project.key,
          experiment: 'bigrams',
          name: 'train-1',
          commitId: commit.id,
          entrypoint: 'python src/train.py',
          environment: { python: '3.11.7', packages: { sklearn: '1.5.2' } },
          params: [{ key: 'ngrams', value: '2' }, { key: 'max_features', value: '200' }],
          tags: [{ key: 'team', value: 'nlp' }],
          inputs: [{ dataVersionId: prepared.id, role: 'TRAIN' }],
          idempotencyKey: 'ci-job-77',
        },
      },
    );
    expect(run).toMatchObject({ status: 'RUNNING', experiment: { name: 'bigrams' } });

    const { logMetrics } = await gql(`mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted } }`, {
      input: { runId: run.id, metrics: [{ key: 'auc', value: 0.91, step: 0 }, { key: 'auc', value: 0.94, step: 1 }, { key: 'loss', value: 0.3, step: 1 }] },
    });
    expect(logMetrics.accepted).toBe(3);

    const modelDigest = digest('model.pkl bytes');
    const { finishRun } = await gql(`mutation($input: FinishRunInput!) { finishRun(input: $input) { status endedAt artifacts { path digest kind } } }`, {
      input: { runId: run.id, status: 'FINISHED', artifacts: [{ path: 'model.pkl', uri: 's3://bucket/model.pkl', digest: modelDigest, kind: 'model' }] },
    });
    expect(finishRun.status).toBe('FINISHED');
    expect(finishRun.endedAt).toEqual(expect.any(String));
    expect(finishRun.artifacts).toEqual([{ path: 'model.pkl', digest: modelDigest, kind: 'MODEL' }]);

    const { registerModelVersion: version } = await gql(
      `mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { id version stage } }`,
      { input: { project: project.key, model: 'text-classification', runId: run.id, artifactUri: 's3://bucket/model.pkl', artifactDigest: modelDigest } },
    );
    expect(version).toMatchObject({ version: 1, stage: 'NONE' });

    const { modelVersion } = await gql(
      `query($id: ID!) { modelVersion(id: $id) {
         version artifactDigest model { name project { key } }
         sourceRun { name status entrypoint environment commit { sha repository }
           params { key value } metrics { key value step } metricHistory(key: "auc") { value step }
           inputs { role redacted dataVersion { contentHash dataset { name } derivedFrom { contentHash } } } } } }`,
      { id: version.id },
    );
    expect(modelVersion).toEqual({
      version: 1,
      artifactDigest: modelDigest,
      model: { name: 'text-classification', project: { key: project.key } },
      sourceRun: {
        name: 'train-1',
        status: 'FINISHED',
        entrypoint: 'python src/train.py',
        environment: { python: '3.11.7', packages: { sklearn: '1.5.2' } },
        commit: { sha, repository: 'github.com/acme/fraud' },
        params: [{ key: 'max_features', value: '200' }, { key: 'ngrams', value: '2' }],
        metrics: [{ key: 'auc', value: 0.94, step: 1 }, { key: 'loss', value: 0.3, step: 1 }],
        metricHistory: [{ value: 0.91, step: 0 }, { value: 0.94, step: 1 }],
        inputs: [
          {
            role: 'TRAIN',
            redacted: false,
            dataVersion: { contentHash: '153aad06d376b6595932470e459ef42a.dir', dataset: { name: 'data/prepared' }, derivedFrom: [{ contentHash: '22a1a2931c8370d3aeedd7183606fd7f' }] },
          },
        ],
      },
    });

    const { registeredModel } = await gql(
      `query($p: String!) { registeredModel(project: $p, name: "text-classification") { name latestVersion versions { version } productionVersion { id } } }`,
      { p: project.key },
    );
    expect(registeredModel).toEqual({ name: 'text-classification', latestVersion: 1, versions: [{ version: 1 }], productionVersion: null });

    const edges = await app.dataSource.query(
      `SELECT relation, role FROM lineage_edge WHERE dst_id = ANY($1) OR src_id = ANY($1) ORDER BY relation`,
      [[run.id, version.id]],
    );
    expect(edges).toEqual([
      { relation: 'BUILT_FROM', role: null },
      { relation: 'CONSUMED', role: 'TRAIN' },
      { relation: 'TRAINED', role: null },
    ]);
    const actions = await app.dataSource.query(`SELECT action FROM audit_event WHERE project_id = $1 ORDER BY id`, [project.id]);
    expect(actions.map((row: { action: string }) => row.action)).toEqual([
      'project.created',
      'project_member.added',
      'commit.recorded',
      'data_version.registered',
      'data_version.registered',
      'run.started',
      'run.metrics_logged',
      'run.finished',
      'model_version.registered',
    ]);
  });
});
