import fc from 'fast-check';
import { digest, finishRun, registerVersion, type SeededUser, seedCommit, seedDataVersion, seedProject, seedUser, startRun } from './factories';
import { ok, startTestApp, type TestApp } from './utils/test-app';

let app: TestApp;
let key: string;
let user: SeededUser;
const runIds: Record<string, string> = {};
let commitSha: string;
let rawHash: string;

const RUNS = `query($p: String!, $f: String, $o: [String!], $first: Int, $after: String) {
  runs(project: $p, filter: $f, orderBy: $o, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name } } } }`;

/** Six runs with known params, tags, metrics, commits, inputs and base models. */
beforeAll(async () => {
  app = await startTestApp();
  ({ key } = await seedProject(app));
  user = await seedUser(app, { project: key, role: 'CONTRIBUTOR' });
  const commit = await seedCommit(app, user.token, key);
  commitSha = commit.sha;
  const raw = await seedDataVersion(app, user.token, key, { dataset: 'raw' });
  rawHash = raw.contentHash;
  const seeds: Array<{ name: string; optimizer: string; team: string; auc: number | null; status: string; withCommit: boolean; usesRaw: boolean; experiment: string }> = [
    { name: 'adam-good', optimizer: 'adam', team: 'fraud', auc: 0.95, status: 'FINISHED', withCommit: true, usesRaw: true, experiment: 'baseline' },
    { name: 'adam-poor', optimizer: 'adam', team: 'fraud', auc: 0.7, status: 'FINISHED', withCommit: true, usesRaw: false, experiment: 'baseline' },
    { name: 'sgd-good', optimizer: 'sgd', team: 'risk', auc: 0.96, status: 'FINISHED', withCommit: false, usesRaw: true, experiment: 'tuning' },
    { name: 'sgd-failed', optimizer: 'sgd', team: 'risk', auc: 0.5, status: 'FAILED', withCommit: false, usesRaw: false, experiment: 'tuning' },
    { name: 'rmsprop-none', optimizer: 'rmsprop', team: 'fraud', auc: null, status: 'KILLED', withCommit: false, usesRaw: false, experiment: 'tuning' },
  ];
  for (const seed of seeds) {
    const run = await startRun(app, user.token, key, {
      name: seed.name,
      experiment: seed.experiment,
      commitId: seed.withCommit ? commit.id : undefined,
      params: [{ key: 'optimizer', value: seed.optimizer }],
      tags: [{ key: 'team', value: seed.team }, { key: 'model type', value: 'tree' }],
      inputs: seed.usesRaw ? [{ dataVersionId: raw.id, role: 'TRAIN' }] : [],
    });
    if (seed.auc !== null) {
      await app.gql(`mutation($i: LogMetricsInput!) { logMetrics(input: $i) { accepted } }`, { i: { runId: run.id, metrics: [{ key: 'val_auc', value: 0.1, step: 0 }, { key: 'val_auc', value: seed.auc, step: 5 }, { key: 'val loss', value: 1 - seed.auc, step: 5 }] } }, user.token);
    }
    await finishRun(app, user.token, run.id, { status: seed.status });
    runIds[seed.name] = run.id;
  }
  const base = ok(await registerVersion(app, user.token, key, runIds['adam-good'], { model: 'base' })).registerModelVersion;
  const tuned = await startRun(app, user.token, key, { name: 'tuned', experiment: 'tuning', baseModelVersionIds: [base.id], params: [{ key: 'optimizer', value: 'adam' }] });
  runIds.tuned = tuned.id;
});
afterAll(() => app.close());

async function runNames(filter: string, orderBy?: string[]): Promise<string[]> {
  const { runs } = ok(await app.gql(RUNS, { p: key, f: filter, o: orderBy, first: 100 }, user.token));
  return runs.edges.map((edge: { node: { name: string } }) => edge.node.name);
}

describe('the search language on runs', () => {
  const cases: Array<[string, string[]]> = [
    ['status = "FINISHED"', ['adam-good', 'adam-poor', 'sgd-good']],
    ["status = 'finished'", ['adam-good', 'adam-poor', 'sgd-good']],
    ['metrics.val_auc > 0.9 and params.optimizer = "adam"', ['adam-good']],
    ['metrics.val_auc > 0.9 or status = "KILLED"', ['adam-good', 'rmsprop-none', 'sgd-good']],
    ['(tags.team = "fraud" or status = "FAILED") and not name LIKE "adam%"', ['rmsprop-none', 'sgd-failed']],
    ['metrics.val_auc IS NULL', ['rmsprop-none', 'tuned']],
    ['metrics.val_auc IS NOT NULL and metrics.val_auc <= 0.7', ['adam-poor', 'sgd-failed']],
    ['params.optimizer IN ("sgd", "rmsprop")', ['rmsprop-none', 'sgd-failed', 'sgd-good']],
    ['params.optimizer NOT IN ("sgd", "rmsprop")', ['adam-good', 'adam-poor', 'tuned']],
    ['name ILIKE "ADAM-%"', ['adam-good', 'adam-poor']],
    ['experiment = "baseline"', ['adam-good', 'adam-poor']],
    ['tags.`model type` = "tree" and status != "FINISHED"', ['rmsprop-none', 'sgd-failed']],
    ['metrics.`val loss` < 0.1', ['adam-good', 'sgd-good']],
    ['status = "RUNNING"', ['tuned']],
    ['endedAt IS NULL', ['tuned']],
    ['startedAt > "2000-01-01T00:00:00Z" and start_time > 946684800000', ['adam-good', 'adam-poor', 'rmsprop-none', 'sgd-failed', 'sgd-good', 'tuned']],
    ['baseModel = "base@1"', ['tuned']],
    // MLflow search_runs strings, as users paste them.
    ["attributes.status = 'FINISHED' and metrics.val_auc >= 0.95", ['adam-good', 'sgd-good']],
    ["attributes.run_name = 'sgd-good'", ['sgd-good']],
    // A run without the tag is not "!= 'risk'": as in SQL and MLflow, a missing key matches no comparison.
    ["params.optimizer = 'adam' and tags.team != 'risk'", ['adam-good', 'adam-poor']],
  ];

  it.each(cases)('%s', async (filter, expected) => {
    expect((await runNames(filter)).sort()).toEqual([...expected].sort());
  });

  it('follows lineage: runs that consumed a data version, by content hash, and runs of a commit by sha prefix', async () => {
    expect((await runNames(`consumed = "${rawHash}"`)).sort()).toEqual(['adam-good', 'sgd-good']);
    expect((await runNames(`commit = "${commitSha.slice(0, 7)}"`)).sort()).toEqual(['adam-good', 'adam-poor']);
    expect((await runNames(`run_id = "${runIds['sgd-good']}"`))).toEqual(['sgd-good']);
  });

  it('orders by metrics and fields with a stable tie-breaker, missing values last', async () => {
    expect(await runNames('status != "RUNNING"', ['metrics.val_auc DESC'])).toEqual(['sgd-good', 'adam-good', 'adam-poor', 'sgd-failed', 'rmsprop-none']);
    expect(await runNames('status != "RUNNING"', ['metrics.val_auc ASC'])).toEqual(['sgd-failed', 'adam-poor', 'adam-good', 'sgd-good', 'rmsprop-none']);
    expect(await runNames('experiment = "tuning"', ['params.optimizer', 'name DESC'])).toEqual(['tuned', 'rmsprop-none', 'sgd-good', 'sgd-failed']);
  });

  it.each([
    ['colour = "red"', /position 1: unknown field "colour"/],
    ['metrics.val_auc = "abc"', /position 19: metrics\.val_auc is a number; "abc" is not/],
    ['name = "unterminated', /position 8: the string starting here is not closed/],
    ['status = ', /position 10: expected a quoted string or a number, found the end of the filter/],
    ['status = "FINISHED" and', /position 24: expected a field/],
    ['(status = "FINISHED"', /position 21: expected "\)"/],
    ['metrics.val_auc LIKE "0.9%"', /LIKE compares text/],
    ['status ~ "x"', /position 8: unexpected character "~"/],
    ['params = "x"', /name the key, as in params\.<key>/],
    ['startedAt > "yesterday"', /startedAt is a time/],
    ['baseModel = "no-version"', /baseModel takes "<model>@<version>"/],
    ['consumed > "abc"', /consumed takes =, != or IN/],
  ])('refuses %j with the position and what was expected', async (filter, message) => {
    await expect(app.gql(RUNS, { p: key, f: filter }, user.token)).resolves.toFailWith('BAD_USER_INPUT', message);
  });

  it('refuses orderBy terms it cannot use', async () => {
    await expect(app.gql(RUNS, { p: key, o: ['metrics.val_auc SIDEWAYS'] }, user.token)).resolves.toFailWith('BAD_USER_INPUT', /expected ASC, DESC/);
    await expect(app.gql(RUNS, { p: key, o: ['consumed'] }, user.token)).resolves.toFailWith('BAD_USER_INPUT', /cannot order by consumed/);
  });

  it('never answers a random string with an internal error (fuzz)', async () => {
    const alphabet = fc.constantFrom(...'abcdmetrics.params_ =!<>()"\'`,0123456789 andornotinlikeisnullASCDESC-%'.split(''));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: alphabet, maxLength: 60 })), async (filter) => {
        const result = await app.gql(RUNS, { p: key, f: filter, first: 5 }, user.token);
        const code = result.errors?.[0]?.extensions?.code;
        expect(code === undefined || code === 'BAD_USER_INPUT').toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('pages with cursors that stay correct while runs are inserted', async () => {
    const expected = await runNames('', ['name ASC']);
    const seen: string[] = [];
    let after: string | null = null;
    let inserted = 0;
    for (;;) {
      const { runs }: { runs: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: { name: string } }> } } = ok(
        await app.gql(RUNS, { p: key, o: ['name ASC'], first: 2, after, f: 'name != "zz-new"' }, user.token),
      );
      seen.push(...runs.edges.map((edge) => edge.node.name));
      // A run that sorts before the cursor and one after it arrive between pages.
      await startRun(app, user.token, key, { name: `a-new-${(inserted += 1)}` });
      if (!runs.pageInfo.hasNextPage) break;
      after = runs.pageInfo.endCursor;
    }
    expect(seen.filter((name) => !name.startsWith('a-new-'))).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('the search language on model versions', () => {
  const VERSIONS = `query($p: String!, $f: String, $o: [String!]) { modelVersions(project: $p, filter: $f, orderBy: $o, first: 100) { totalCount edges { node { id version model { name } } } } }`;
  const names = async (filter: string, orderBy?: string[]) =>
    ok(await app.gql(VERSIONS, { p: key, f: filter, o: orderBy }, user.token)).modelVersions.edges.map((edge: { node: { version: number; model: { name: string } } }) => `${edge.node.model.name}@${edge.node.version}`);

  beforeAll(async () => {
    for (const name of ['adam-poor', 'sgd-good']) {
      ok(await registerVersion(app, user.token, key, runIds[name], { model: 'fraud', artifactDigest: digest(name) }));
    }
    const [stagingCandidate] = await app.dataSource.query(`SELECT mv.id FROM model_version mv JOIN registered_model rm ON rm.id = mv.model_id WHERE rm.name = 'fraud' AND mv.version = 2`);
    ok(await app.gql(`mutation($id: ID!) { requestTransition(input: { modelVersionId: $id, toStage: STAGING }) { status } }`, { id: stagingCandidate.id }, user.token));
    ok(await app.gql(`mutation($id: ID!) { setModelAlias(input: { modelVersionId: $id, alias: "challenger" }) { id } }`, { id: stagingCandidate.id }, user.token));
  });

  it.each([
    ['model = "fraud"', ['fraud@1', 'fraud@2']],
    ['stage = "STAGING"', ['fraud@2']],
    ['alias = "challenger"', ['fraud@2']],
    ['metrics.val_auc > 0.9', ['base@1', 'fraud@2']],
    ['run.params.optimizer = "adam"', ['base@1', 'fraud@1']],
    ['tags.team = "risk"', ['fraud@2']],
    ["name = 'fraud' and version_number IN (1, 2) and current_stage != 'STAGING'", ['fraud@1']],
    [`createdBy = "${'$EMAIL'}"`, ['base@1', 'fraud@1', 'fraud@2']],
  ])('%s', async (filter, expected) => {
    expect((await names(filter.replace('$EMAIL', user.email))).sort()).toEqual([...expected].sort());
  });

  it('orders by the source run\'s metric', async () => {
    expect(await names('', ['metrics.val_auc DESC'])).toEqual(['fraud@2', 'base@1', 'fraud@1']);
  });
});
