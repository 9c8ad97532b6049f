import type { Locator, Page } from 'playwright-core';
import { screenshot, startStack, type Stack } from './utils/stack';

const PROJECT = 'demo';
const MODEL = 'fraud-classifier';
const PASSWORD = 'correct-horse-battery';

/** The demo project's model starts with version 2 in Production and version 3 in Staging. */
const CANDIDATE = 3;
const IN_PRODUCTION = 2;

let stack: Stack;
const users = {
  // REVIEWER includes every CONTRIBUTOR right, and only a reviewer is told "you requested this":
  // anyone below REVIEWER is told that reviewing needs the role.
  requester: { email: 'requester@example.com', name: 'requester' },
  reviewer: { email: 'reviewer@example.com', name: 'reviewer' },
  viewer: { email: 'viewer@example.com', name: 'viewer' },
  outsider: { email: 'outsider@example.com', name: 'outsider' },
};

beforeAll(async () => {
  stack = await startStack();
  await stack.createUser(users.requester.email, PASSWORD, PROJECT, 'REVIEWER');
  await stack.createUser(users.reviewer.email, PASSWORD, PROJECT, 'REVIEWER');
  await stack.createUser(users.viewer.email, PASSWORD, PROJECT, 'VIEWER');
  await stack.createUser(users.outsider.email, PASSWORD);
});

afterAll(async () => {
  await stack?.stop();
});

async function apiData<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const answer = await stack.graphql<T>(query, variables, await stack.adminToken());
  if (answer.errors?.length || !answer.data) throw new Error(`API query failed: ${JSON.stringify(answer.errors)}`);
  return answer.data;
}

async function versionId(version: number): Promise<string> {
  const data = await apiData<{ registeredModel: { version: { id: string } } }>(
    'query ($project: String!, $name: String!, $version: Int!) { registeredModel(project: $project, name: $name) { version(version: $version) { id } } }',
    { project: PROJECT, name: MODEL, version },
  );
  return data.registeredModel.version.id;
}

async function stageOf(version: number): Promise<string> {
  const data = await apiData<{ modelVersion: { stage: string } }>('query ($id: ID!) { modelVersion(id: $id) { stage } }', {
    id: await versionId(version),
  });
  return data.modelVersion.stage;
}

/** The versions table row of one version on the model page. */
function versionRow(page: Page, version: number): Locator {
  return page
    .getByRole('table')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: `Version ${version}`, exact: true }) });
}

/** The approvals inbox card of the candidate's request. */
function requestCard(page: Page): Locator {
  return page.getByRole('article').filter({
    has: page.getByRole('heading', { name: new RegExp(`^${MODEL} version ${CANDIDATE}\\b`) }),
  });
}

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

describe('governance in the browser', () => {
  it('takes a promotion from request to Production, with the requester kept from approving it and the trail on /audit', async () => {
    const comment = `Beats v${IN_PRODUCTION} on val_auc in the offline evaluation`;
    const reviewComment = 'Checked the evaluation report and the data hashes';

    await stack.withPage(async (page) => {
      await stack.signIn(page, users.requester.email, PASSWORD);
      await page.goto('/models');
      const modelRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: MODEL, exact: true }) });
      expect(await textOf(modelRow.getByRole('cell').nth(0))).toBe(`version ${IN_PRODUCTION}`);
      expect(await textOf(modelRow.getByRole('cell').nth(1))).toBe(`version ${CANDIDATE}`);
      expect(await textOf(modelRow.getByRole('cell').nth(2))).toContain('champion');
      await screenshot(page, 'models');

      await modelRow.getByRole('link', { name: MODEL, exact: true }).click();
      await page.waitForURL(`**/models/${MODEL}`);
      const promotion = page.getByRole('region', { name: 'Request promotion' });
      await promotion.getByLabel('Version').selectOption({ label: `Version ${CANDIDATE}: Staging → Production` });

      // The comment is required: the browser refuses an empty one before anything is sent.
      await promotion.getByRole('button', { name: 'Request promotion' }).click();
      const commentField = promotion.getByLabel('Comment');
      expect(await commentField.evaluate((field: HTMLTextAreaElement) => field.validity.valueMissing)).toBe(true);

      await commentField.fill(comment);
      await promotion.getByRole('button', { name: 'Request promotion' }).click();
      const status = promotion.getByRole('status');
      await status.filter({ hasText: `Requested version ${CANDIDATE} to Production` }).waitFor();
      expect(await textOf(status)).toContain('approvals (0 of 1)');
      await versionRow(page, CANDIDATE).getByRole('link', { name: 'Pending → Production' }).waitFor();
      expect(await textOf(versionRow(page, CANDIDATE).getByRole('cell').first())).toMatch(/^Staging/);
      await screenshot(page, 'model-requested');

      const pending = await apiData<{
        transitionRequests: { edges: Array<{ node: { comment: string; toStage: string; modelVersion: { version: number } } }> };
      }>(
        'query ($project: String!) { transitionRequests(project: $project, status: PENDING) { edges { node { comment toStage modelVersion { version } } } } }',
        { project: PROJECT },
      );
      expect(pending.transitionRequests.edges.map(({ node }) => node)).toEqual([
        { comment, toStage: 'PRODUCTION', modelVersion: { version: CANDIDATE } },
      ]);

      await page.goto('/approvals');
      const card = requestCard(page);
      await card.waitFor();
      const review = card.getByRole('region', { name: 'Review' });
      expect(await textOf(review.getByText('You cannot review this request'))).toBe(
        'You cannot review this request: you requested this.',
      );
      // The requester may still withdraw it.
      expect(await review.getByRole('button', { name: `Cancel the request for ${MODEL} version ${CANDIDATE}` }).count()).toBe(1);
      expect(await card.getByRole('button', { name: 'Approve' }).count()).toBe(0);
      expect(await card.getByRole('button', { name: 'Reject' }).count()).toBe(0);
      await screenshot(page, 'approvals-requester');
    });

    await stack.withPage(async (page) => {
      await stack.signIn(page, users.reviewer.email, PASSWORD);
      await page.goto('/approvals');
      const card = requestCard(page);
      await card.waitFor();
      expect(await textOf(card.locator('blockquote'))).toBe(comment);
      expect(await card.getByRole('button', { name: /^Cancel the request/ }).count()).toBe(0);
      expect(await textOf(card.getByRole('region', { name: 'Gates' }))).toContain('approvals');
      // The candidate's metrics beside the Production version's, both read from the API.
      const metrics = card.getByRole('region', { name: 'Metrics' });
      const headers = await metrics.getByRole('columnheader').allTextContents();
      expect(headers).toEqual(['Metric', `v${CANDIDATE}`, `Production v${IN_PRODUCTION}`, 'Change']);
      const aucRow = metrics.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'val_auc' }) });
      const [candidateAuc, productionAuc] = await aucRow.getByRole('cell').allTextContents();
      expect(Number(candidateAuc)).toBeGreaterThan(Number(productionAuc));
      await screenshot(page, 'approvals-reviewer');

      await card.getByLabel('Comment').fill(reviewComment);
      await card.getByRole('button', { name: 'Approve' }).click();
      // The applied request leaves the inbox and shows among the recent decisions.
      await card.waitFor({ state: 'detached' });
      const decided = page.getByRole('region', { name: 'Recently decided' });
      await decided.getByRole('listitem').filter({ hasText: `Applied ${MODEL} version ${CANDIDATE} to Production` }).waitFor();
      expect(await stageOf(CANDIDATE)).toBe('PRODUCTION');

      await page.goto(`/models/${MODEL}`);
      expect(await textOf(versionRow(page, CANDIDATE).getByRole('cell').first())).toBe('Production');
      expect(await textOf(versionRow(page, IN_PRODUCTION).getByRole('cell').first())).toBe('Archived');
      const history = page.getByRole('list', { name: `Stage history of ${MODEL}` });
      const newest = history.getByRole('listitem').first();
      expect(await textOf(newest)).toContain(`Version ${CANDIDATE}: Staging → Production`);
      expect(await textOf(newest)).toContain(`Approved by ${users.reviewer.name}: ${reviewComment}`);
      await screenshot(page, 'model-approved');

      await page.goto('/audit');
      await page.getByLabel('Action').fill('transition.approved');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL((url) => url.searchParams.get('action') === 'transition.approved');
      await page.getByText('1 event matches the filters.').waitFor();
      const rows = page.getByRole('table').getByRole('row').filter({ hasText: 'transition.approved' });
      expect(await rows.count()).toBe(1);
      expect(await textOf(rows.first())).toContain(users.reviewer.name);
      expect(await textOf(rows.first())).toContain(reviewComment);
      const chain = page.getByRole('status').filter({ hasText: /^Chain (verified|broken)/ });
      await chain.waitFor();
      expect(await textOf(chain)).toMatch(/^Chain verified: all \d+ events/);
      await screenshot(page, 'audit');

      const csv = await page.request.get(`/audit/export?project=${PROJECT}&action=transition.approved`);
      expect(csv.status()).toBe(200);
      expect(csv.headers()['content-type']).toContain('text/csv');
      const lines = (await csv.text()).trim().split('\n');
      expect(lines[0]).toMatch(/^seq,occurredAt,action,/);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(reviewComment);
    });
  });

  it('shows where a version came from: commit, data by hash, run, environment, verdict, and its lineage graph', async () => {
    const id = await versionId(IN_PRODUCTION);
    const { provenance } = await apiData<{
      provenance: {
        complete: boolean;
        entrypoint: string;
        sourceRun: { name: string };
        commits: Array<{ repository: string; sha: string }>;
        dataVersions: Array<{ contentHash: string; dataset: { name: string } }>;
      };
    }>(
      'query ($id: ID!) { provenance(modelVersionId: $id) { complete entrypoint sourceRun { name } commits { repository sha } dataVersions { contentHash dataset { name } } } }',
      { id },
    );
    const { lineage } = await apiData<{ lineage: { nodes: Array<{ kind: string }> } }>(
      'query ($id: ID!) { lineage(nodeId: $id, direction: UPSTREAM) { nodes { kind } } }',
      { id },
    );

    await stack.withPage(async (page) => {
      await stack.signIn(page, users.viewer.email, PASSWORD);
      await page.goto(`/models/${MODEL}/versions/${IN_PRODUCTION}`);
      const section = page.getByRole('region', { name: 'Provenance' });
      await section.getByText('Complete lineage:').waitFor();
      expect(provenance.complete).toBe(true);

      const text = await textOf(section);
      expect(text).toContain(provenance.sourceRun.name);
      expect(text).toContain(provenance.entrypoint);
      expect(text).toContain('scikit-learn');
      for (const commit of provenance.commits) {
        expect(text).toContain(commit.repository);
        expect(text).toContain(commit.sha);
      }
      const dataTable = section.getByRole('region', { name: 'Data' });
      for (const dataVersion of provenance.dataVersions) {
        const row = dataTable.getByRole('row').filter({ hasText: dataVersion.dataset.name });
        expect(await row.locator('code').getAttribute('title')).toBe(`md5:${dataVersion.contentHash}`);
      }
      const trainRow = dataTable.getByRole('row').filter({ hasText: 'transactions/train' });
      expect(await textOf(trainRow)).toContain(`train of ${provenance.sourceRun.name}`);

      // The explorer walks both ways, so it draws at least the upstream nodes the API reports.
      const graph = page.getByRole('region', { name: 'Lineage' });
      await graph.locator('.react-flow__node').first().waitFor();
      expect(await graph.locator('.react-flow__node').count()).toBeGreaterThanOrEqual(lineage.nodes.length);
      for (const kind of new Set(lineage.nodes.map((node) => node.kind))) {
        expect(await graph.locator(`[data-node-kind="${kind}"]`).count()).toBeGreaterThan(0);
      }
      await screenshot(page, 'version');
    });
  });

  it('shows an outsider none of the project: no models, no requests, no events', async () => {
    await stack.withPage(async (page) => {
      await stack.signIn(page, users.outsider.email, PASSWORD);
      for (const [path, title] of [
        ['/models', 'Models'],
        ['/approvals', 'Approvals'],
        ['/audit', 'Audit trail'],
        // Asking for the project by key changes nothing: only the viewer's own projects are ever selected.
        [`/audit?project=${PROJECT}`, 'Audit trail'],
        [`/models/${MODEL}?project=${PROJECT}`, MODEL],
      ]) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1, name: title }).waitFor();
        const main = await textOf(page.getByRole('main'));
        expect(main).toContain('You are not a member of any project yet.');
        expect(main).not.toMatch(/champion|Demo: fraud detection|transition\.|version \d/);
      }
      await page.goto('/models');
      expect(await page.getByLabel('Project').count()).toBe(0);
      await screenshot(page, 'outsider-models');

      const csv = await page.request.get(`/audit/export?project=${PROJECT}`);
      // Not found rather than forbidden: the API does not even confirm that the project exists.
      expect(csv.status()).toBe(404);
      expect(await csv.text()).not.toContain('transition.');
    });
  });

  it('gives owners the settings controls, shows an API token once, and shows others a read-only view', async () => {
    await stack.withPage(async (page) => {
      await stack.signIn(page, stack.adminEmail, stack.adminPassword);
      await page.goto('/settings');
      const members = page.getByRole('region', { name: 'Members' });
      for (const user of [users.requester, users.reviewer, users.viewer]) {
        await members.getByRole('cell', { name: user.email, exact: true }).waitFor();
      }
      expect(await textOf(members)).not.toContain(users.outsider.email);
      expect(await members.getByRole('button', { name: 'Add or change role' }).isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Save policy' }).isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Add webhook' }).isVisible()).toBe(true);

      const tokens = page.getByRole('region', { name: 'Your API tokens' });
      await tokens.getByLabel('Token name').fill('ci-train-job');
      await tokens.getByRole('button', { name: 'Create token' }).click();
      const secret = tokens.getByLabel('New token');
      await secret.waitFor();
      const value = await secret.inputValue();
      const me = await stack.graphql<{ me: { email: string } }>('{ me { email } }', {}, value);
      expect(me.data?.me.email).toBe(stack.adminEmail);
      await tokens.getByRole('cell', { name: 'ci-train-job', exact: true }).waitFor();
      await screenshot(page, 'settings-owner');

      await page.reload();
      expect(await page.getByLabel('New token').count()).toBe(0);
      expect(await page.content()).not.toContain(value);
    });

    await stack.withPage(async (page) => {
      await stack.signIn(page, users.viewer.email, PASSWORD);
      await page.goto('/settings');
      const members = page.getByRole('region', { name: 'Members' });
      await members.getByRole('cell', { name: users.viewer.email, exact: true }).waitFor();
      expect(await page.getByRole('button', { name: 'Add or change role' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Save policy' }).count()).toBe(0);
      expect(await textOf(page.getByRole('region', { name: 'Webhooks' }))).toContain(
        'Only project owners see and manage webhooks.',
      );
      await screenshot(page, 'settings-viewer');
    });
  });
});
