import { createHash } from 'node:crypto';
import type { GraphQLClient } from './measure';

/**
 * Seeds `npm run bench:api`'s database through the GraphQL API itself, so every row is one the real
 * services wrote (audit chain, lineage edges, latest metrics included).
 */

export const PROJECT = 'bench';
export const MODEL = 'churn';
export const REGISTRATION_MODEL = 'bench-registrations';
const MODEL_VERSIONS = 10;
const METRIC_KEYS = Array.from({ length: 10 }, (_, index) => `metric_${index}`);
const SEARCH_RUNS = 500;
const SEARCH_CONCURRENCY = 8;

export interface Seeded {
  /** The newest version of MODEL: the end of the lineage chain. */
  modelVersionId: string;
  /** RUNNING runs that logMetrics appends to, one per connection. */
  runningRunIds: string[];
  /** A RUNNING run whose points the raw INSERT baseline writes. */
  baselineRunId: string;
  /** A FINISHED run that registrations register from. */
  finishedRunId: string;
  searchRuns: number;
}

const hex = (text: string, algorithm: 'md5' | 'sha1' | 'sha256') => createHash(algorithm).update(text).digest('hex');

/** A deterministic pseudo-random stream, so every run of the benchmark seeds the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const START_RUN = `mutation($input: StartRunInput!) { startRun(input: $input) { id } }`;
const LOG_METRICS = `mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted } }`;
const FINISH_RUN = `mutation($input: FinishRunInput!) { finishRun(input: $input) { id status } }`;

async function trainingRun(gql: GraphQLClient, input: Record<string, unknown>, metrics: Array<{ key: string; value: number; step: number }>, status = 'FINISHED'): Promise<string> {
  const { startRun } = await gql(START_RUN, { input: { project: PROJECT, ...input } });
  if (metrics.length) await gql(LOG_METRICS, { input: { runId: startRun.id, metrics } });
  await gql(FINISH_RUN, { input: { runId: startRun.id, status } });
  return startRun.id;
}

/**
 * A project with a contributor (whose session the benchmark uses), a model of 10 versions in a
 * lineage chain (commit → data chain → run → version → next run as its base model), each with
 * aliases, a stage and a source run with 10 latest metrics; 500 runs with params, tags and metrics
 * for the runs search; RUNNING runs for metric ingestion; a FINISHED run for registrations.
 */
export async function seed(admin: GraphQLClient, user: GraphQLClient, userEmail: string, ingestRuns: number): Promise<Seeded> {
  await admin(`mutation { createProject(input: { key: "${PROJECT}", name: "Bench" }) { id } }`, {});
  await admin(`mutation($input: AddProjectMemberInput!) { addProjectMember(input: $input) { role } }`, { input: { project: PROJECT, email: userEmail, role: 'CONTRIBUTOR' } });

  const { recordCommit } = await user(`mutation($input: RecordCommitInput!) { recordCommit(input: $input) { id } }`, {
    input: { project: PROJECT, repository: 'https://git.example.com/bench/churn.git', sha: hex('bench-commit', 'sha1'), branch: 'main', message: 'train churn' },
  });
  const dataVersions: string[] = [];
  for (let index = 0; index < MODEL_VERSIONS; index += 1) {
    const { registerDataVersion } = await user(`mutation($input: RegisterDataVersionInput!) { registerDataVersion(input: $input) { id } }`, {
      input: {
        project: PROJECT,
        dataset: index === 0 ? 'events-raw' : `events-features-${index}`,
        contentHash: hex(`data-${index}`, 'md5'),
        uri: `s3://bench/data/${index}`,
        derivedFrom: index === 0 ? [] : [dataVersions[index - 1]],
      },
    });
    dataVersions.push(registerDataVersion.id);
  }

  const versions: string[] = [];
  const next = random(7);
  for (let index = 0; index < MODEL_VERSIONS; index += 1) {
    const metrics = METRIC_KEYS.flatMap((key) => [0, 1, 2].map((step) => ({ key, value: Number(next().toFixed(4)), step })));
    const runId = await trainingRun(
      user,
      {
        experiment: 'churn',
        name: `churn-train-${index + 1}`,
        commitId: recordCommit.id,
        entrypoint: 'python train.py',
        inputs: [{ dataVersionId: dataVersions[index], role: 'TRAIN' }],
        baseModelVersionIds: index === 0 ? [] : [versions[index - 1]],
        params: [{ key: 'optimizer', value: 'adam' }, { key: 'lr', value: String(0.001 * (index + 1)) }],
        tags: [{ key: 'team', value: 'retention' }],
      },
      metrics,
    );
    const { registerModelVersion } = await user(`mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { id version } }`, {
      input: { project: PROJECT, model: MODEL, runId, artifactUri: `s3://bench/models/churn/${index + 1}/model.pkl`, artifactDigest: `sha256:${hex(`model-${index}`, 'sha256')}` },
    });
    versions.push(registerModelVersion.id);
  }

  const SET_ALIAS = `mutation($input: SetModelAliasInput!) { setModelAlias(input: $input) { id } }`;
  for (const [index, id] of versions.entries()) {
    await user(SET_ALIAS, { input: { alias: `release-${index + 1}`, modelVersionId: id } });
    await user(SET_ALIAS, { input: { alias: `build-${1000 + index}`, modelVersionId: id } });
  }
  await user(SET_ALIAS, { input: { alias: 'champion', modelVersionId: versions[9] } });
  await user(SET_ALIAS, { input: { alias: 'challenger', modelVersionId: versions[8] } });

  // Stages: 1-2 NONE, 3 ARCHIVED (through PRODUCTION), 4-9 STAGING, 10 PRODUCTION. PRODUCTION needs
  // one approval by default: the admin, who trained nothing, gives it.
  const REQUEST = `mutation($input: RequestTransitionInput!) { requestTransition(input: $input) { id status } }`;
  const move = async (id: string, toStage: string) => {
    const { requestTransition } = await user(REQUEST, { input: { modelVersionId: id, toStage } });
    if (requestTransition.status === 'PENDING') {
      const { reviewTransition } = await admin(`mutation($input: ReviewTransitionInput!) { reviewTransition(input: $input) { status } }`, {
        input: { requestId: requestTransition.id, decision: 'APPROVE' },
      });
      if (reviewTransition.status !== 'APPLIED') throw new Error(`moving a version to ${toStage} ended ${reviewTransition.status}`);
    }
  };
  for (let index = 2; index < MODEL_VERSIONS; index += 1) await move(versions[index], 'STAGING');
  await move(versions[2], 'PRODUCTION');
  await move(versions[2], 'ARCHIVED');
  await move(versions[9], 'PRODUCTION');

  // Runs for the search, a few writers at a time.
  const optimizers = ['adam', 'sgd', 'adamw', 'rmsprop'];
  const teams = ['fraud', 'growth', 'retention'];
  let started = 0;
  await Promise.all(
    Array.from({ length: SEARCH_CONCURRENCY }, async () => {
      while (started < SEARCH_RUNS) {
        const index = started++;
        const draw = random(1000 + index);
        const auc = 0.6 + 0.4 * draw();
        const metrics = [0, 1, 2, 3, 4].flatMap((step) => [
          { key: 'val_auc', value: Number((auc - 0.05 * (4 - step) * draw()).toFixed(4)), step },
          { key: 'loss', value: Number((1 - auc + 0.1 * (4 - step)).toFixed(4)), step },
        ]);
        await trainingRun(
          user,
          {
            experiment: 'sweep',
            name: `sweep-${index}`,
            params: [{ key: 'optimizer', value: optimizers[index % optimizers.length] }, { key: 'lr', value: String(10 ** -(1 + (index % 4))) }, { key: 'batch_size', value: String(32 << index % 3) }],
            tags: [{ key: 'team', value: teams[index % teams.length] }, { key: 'owner', value: `ds-${index % 7}` }],
          },
          metrics,
          index % 10 === 9 ? 'FAILED' : 'FINISHED',
        );
      }
    }),
  );

  const runningRunIds: string[] = [];
  for (let index = 0; index <= ingestRuns; index += 1) {
    const { startRun } = await user(START_RUN, { input: { project: PROJECT, experiment: 'ingest', name: `ingest-${index}` } });
    runningRunIds.push(startRun.id);
  }
  const finishedRunId = await trainingRun(user, { experiment: 'registrations', name: 'registrations-source' }, [{ key: 'val_auc', value: 0.9, step: 0 }]);

  return {
    modelVersionId: versions[MODEL_VERSIONS - 1],
    baselineRunId: runningRunIds.pop() as string,
    runningRunIds,
    finishedRunId,
    searchRuns: SEARCH_RUNS,
  };
}
