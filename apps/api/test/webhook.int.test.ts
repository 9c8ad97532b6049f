import { createHmac, timingSafeEqual } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadWebhookSettings } from '../src/config';
import { WebhookEvent, enqueueWebhookEvent } from '../src/modules/webhook/webhook.outbox';
import { startWebhookWorker } from '../src/modules/webhook/webhook.worker';
import { registerVersion, seedFinishedRun, seedProject, seedUser } from './factories';
import { ok, startTestApp, type TestApp } from './utils/test-app';

/** Fast retries and a short timeout, so failing receivers are retried within the test's patience. */
const WEBHOOK_ENV = {
  PEDIGREE_WEBHOOK_POLL_MS: '20',
  PEDIGREE_WEBHOOK_RETRY_BASE_MS: '50',
  PEDIGREE_WEBHOOK_MAX_ATTEMPTS: '4',
  PEDIGREE_WEBHOOK_TIMEOUT_MS: '1000',
};
const SECRET = 'receiver-shared-secret-0123456789';

/** Starts an app whose server reads these variables; restores the environment for other test files. */
async function startAppWith(env: Record<string, string>): Promise<TestApp> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await startTestApp();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; createdAt: string; project: { id: string; key: string }; payload: Record<string, unknown> };
  at: number;
}

type Answer = number | 'hang';

/** A real HTTP receiver on 127.0.0.1; `answer` picks each response from the request and its number on that path. */
async function startReceiver(answer: (request: Received, nthOnPath: number) => Answer = () => 200) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const request = { path: req.url ?? '', headers: req.headers, body, json: JSON.parse(body), at: Date.now() };
      received.push(request);
      const status = answer(request, received.filter((other) => other.path === request.path).length);
      if (status === 'hang') return;
      res.statusCode = status;
      res.end(status < 300 ? 'thanks' : 'receiver failure');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receivers.push(server);
  return { url: (path: string) => `http://127.0.0.1:${port}${path}`, port, received, on: (path: string) => received.filter((request) => request.path === path) };
}

const receivers: http.Server[] = [];
afterEach(async () => {
  for (const server of receivers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** The receiver's check: the signature header is the HMAC-SHA256 of the exact body bytes. */
function signatureVerifies(request: Received, secret = SECRET): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`);
  const actual = Buffer.from(String(request.headers['x-pedigree-signature'] ?? ''));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Polls until `probe` returns something truthy, or fails after the deadline. */
async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const CREATE = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { id url events active description createdAt project { key } } }`;
const SET_ACTIVE = `mutation($id: ID!, $active: Boolean!) { setWebhookActive(id: $id, active: $active) { id active } }`;
const LIST = `query($project: String!) { webhooks(project: $project) { id url events active } }`;
const REDELIVER = `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id eventId eventType status redeliveryOf } }`;
const LOG = `query($id: ID!, $first: Int, $after: String) {
  webhookDeliveries(webhookId: $id, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id deliveryId eventId eventType attempt status responseStatus error durationMs nextAttemptAt attemptedAt } }
  }
}`;

interface LoggedAttempt {
  id: string;
  deliveryId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  status: string;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  nextAttemptAt: string | null;
  attemptedAt: string;
}

describe('webhooks', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startAppWith(WEBHOOK_ENV);
  });
  afterAll(() => app.close());

  const createWebhook = async (project: string, url: string, events: string[], token = app.adminToken) =>
    ok(await app.gql(CREATE, { input: { project, url, events, secret: SECRET } }, token)).createWebhook as { id: string; url: string; events: string[]; active: boolean };
  const deliveryLog = async (webhookId: string, first = 100): Promise<LoggedAttempt[]> =>
    ok(await app.gql(LOG, { id: webhookId, first }, app.adminToken)).webhookDeliveries.edges.map((edge: { node: LoggedAttempt }) => edge.node);
  const enqueue = (projectId: string, type: WebhookEvent, payload: Record<string, unknown> = { note: 'from the test' }) =>
    app.dataSource.transaction((manager) => enqueueWebhookEvent(manager, { projectId, type, payload }));
  const deliveryRows = async (webhookId: string) => (await app.dataSource.query(`SELECT count(*)::int AS n FROM webhook_delivery WHERE webhook_id = $1`, [webhookId]))[0].n;

  it('creates a webhook for an OWNER, audited, and never shows or logs its secret', async () => {
    const project = await seedProject(app);
    const result = ok(
      await app.gql(CREATE, { input: { project: project.key, url: 'http://127.0.0.1:9/hook', events: ['TRANSITION_APPLIED', 'TRANSITION_APPLIED', 'ALIAS_MOVED'], secret: SECRET, description: 'CI' } }, app.adminToken),
    ).createWebhook;
    expect(result).toMatchObject({ url: 'http://127.0.0.1:9/hook', events: ['TRANSITION_APPLIED', 'ALIAS_MOVED'], active: true, description: 'CI', project: { key: project.key } });
    expect(ok(await app.gql(LIST, { project: project.key }, app.adminToken)).webhooks).toEqual([{ id: result.id, url: result.url, events: result.events, active: true }]);
    await expect(app.gql(`query($p: String!) { webhooks(project: $p) { secret } }`, { p: project.key }, app.adminToken)).resolves.toFailWith('GRAPHQL_VALIDATION_FAILED');

    const [event] = await app.dataSource.query(`SELECT action, after FROM audit_event WHERE entity_id = $1`, [result.id]);
    expect(event).toEqual({ action: 'webhook.created', after: { url: result.url, events: result.events, description: 'CI', active: true } });
    expect(JSON.stringify(event)).not.toContain(SECRET);
  });

  it('refuses an invalid URL, secret or event list with BAD_USER_INPUT', async () => {
    const project = await seedProject(app);
    const attempt = (input: Record<string, unknown>) =>
      app.gql(CREATE, { input: { project: project.key, url: 'https://hooks.example.com/p', events: ['TRANSITION_APPLIED'], secret: SECRET, ...input } }, app.adminToken);
    await expect(attempt({ url: 'ftp://hooks.example.com/p' })).resolves.toFailWith('BAD_USER_INPUT', /url must be an http:\/\/ or https:\/\/ URL/);
    await expect(attempt({ url: 'https://user:password@hooks.example.com/p' })).resolves.toFailWith('BAD_USER_INPUT', /without credentials/);
    await expect(attempt({ url: `https://hooks.example.com/${'a'.repeat(2048)}` })).resolves.toFailWith('BAD_USER_INPUT', /url must be at most 2048 characters/);
    await expect(attempt({ secret: 'too-short' })).resolves.toFailWith('BAD_USER_INPUT', /secret must be 16 to 256 characters/);
    await expect(attempt({ secret: 's'.repeat(257) })).resolves.toFailWith('BAD_USER_INPUT', /secret must be 16 to 256 characters/);
    await expect(attempt({ events: [] })).resolves.toFailWith('BAD_USER_INPUT', /events must name at least one WebhookEvent/);
    expect(await app.dataSource.query(`SELECT id FROM webhook WHERE project_id = $1`, [project.id])).toEqual([]);
  });

  it('lets only OWNERs manage webhooks: FORBIDDEN to a REVIEWER, NOT_FOUND to an outsider', async () => {
    const project = await seedProject(app);
    const reviewer = await seedUser(app, { project: project.key, role: 'REVIEWER' });
    const outsider = await seedUser(app);
    const webhook = await createWebhook(project.key, 'http://127.0.0.1:9/hook', ['TRANSITION_APPLIED']);
    const input = { project: project.key, url: 'http://127.0.0.1:9/other', events: ['ALIAS_MOVED'], secret: SECRET };

    await expect(app.gql(CREATE, { input }, reviewer.token)).resolves.toFailWith('FORBIDDEN', /OWNER/);
    await expect(app.gql(CREATE, { input }, outsider.token)).resolves.toFailWith('NOT_FOUND');
    await expect(app.gql(LIST, { project: project.key }, reviewer.token)).resolves.toFailWith('FORBIDDEN');
    await expect(app.gql(SET_ACTIVE, { id: webhook.id, active: false }, reviewer.token)).resolves.toFailWith('FORBIDDEN');
    await expect(app.gql(SET_ACTIVE, { id: webhook.id, active: false }, outsider.token)).resolves.toFailWith('NOT_FOUND');
    await expect(app.gql(LOG, { id: webhook.id }, reviewer.token)).resolves.toFailWith('FORBIDDEN');
    await expect(app.gql(LOG, { id: webhook.id }, outsider.token)).resolves.toFailWith('NOT_FOUND');
    await expect(app.gql(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: webhook.id }, reviewer.token)).resolves.toFailWith('FORBIDDEN');
    expect(ok(await app.gql(LIST, { project: project.key }, app.adminToken)).webhooks).toHaveLength(1);
  });

  it('delivers a signed event, retrying a failing receiver with backoff until it accepts, and logs every attempt', async () => {
    const receiver = await startReceiver((_request, nth) => (nth <= 2 ? 500 : 200));
    const project = await seedProject(app);
    const webhook = await createWebhook(project.key, receiver.url('/hook'), ['TRANSITION_APPLIED']);

    await enqueue(project.id, WebhookEvent.TRANSITION_APPLIED, { requestId: 'r-1', toStage: 'PRODUCTION' });
    const log = await eventually('three logged attempts, the last DELIVERED', async () => {
      const attempts = await deliveryLog(webhook.id);
      return attempts.length === 3 && attempts[0].status === 'DELIVERED' && attempts;
    });

    expect(receiver.received).toHaveLength(3);
    expect(receiver.received.every((request) => signatureVerifies(request))).toBe(true);
    expect(signatureVerifies(receiver.received[0], 'another-secret-0123456789')).toBe(false);
    const [first] = receiver.received;
    expect(first.headers).toMatchObject({ 'content-type': 'application/json', 'x-pedigree-event': 'TRANSITION_APPLIED', 'x-pedigree-delivery': log[0].deliveryId });
    expect(first.json).toEqual({
      id: log[0].eventId,
      type: 'TRANSITION_APPLIED',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      project: { id: project.id, key: project.key },
      payload: { requestId: 'r-1', toStage: 'PRODUCTION' },
    });
    // Retries repeat the same delivery of the same event, byte for byte.
    expect(new Set(receiver.received.map((request) => request.body)).size).toBe(1);
    expect(new Set(receiver.received.map((request) => request.headers['x-pedigree-delivery'])).size).toBe(1);
    // Backoff: 50 ms, then 100 ms (timers fire late, never early).
    expect(receiver.received[1].at - receiver.received[0].at).toBeGreaterThanOrEqual(45);
    expect(receiver.received[2].at - receiver.received[1].at).toBeGreaterThanOrEqual(95);

    expect(log.map(({ attempt, status, responseStatus }) => ({ attempt, status, responseStatus }))).toEqual([
      { attempt: 3, status: 'DELIVERED', responseStatus: 200 },
      { attempt: 2, status: 'PENDING', responseStatus: 500 },
      { attempt: 1, status: 'PENDING', responseStatus: 500 },
    ]);
    expect(log[0]).toMatchObject({ error: null, nextAttemptAt: null, eventType: 'TRANSITION_APPLIED' });
    expect(log[2].error).toMatch(/answered HTTP 500/);
    expect(log[2].nextAttemptAt).not.toBeNull();
    expect(log.every((attempt) => attempt.durationMs >= 0 && attempt.deliveryId === log[0].deliveryId)).toBe(true);

    // The log pages like every connection.
    const page = ok(await app.gql(LOG, { id: webhook.id, first: 2 }, app.adminToken)).webhookDeliveries;
    expect(page).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const rest = ok(await app.gql(LOG, { id: webhook.id, first: 2, after: page.pageInfo.endCursor }, app.adminToken)).webhookDeliveries;
    expect(rest.edges.map((edge: { node: LoggedAttempt }) => edge.node.attempt)).toEqual([1]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('sends nothing for a change whose transaction rolls back', async () => {
    const project = await seedProject(app);
    const webhook = await createWebhook(project.key, 'http://127.0.0.1:9/never', ['TRANSITION_APPLIED']);
    await expect(
      app.dataSource.transaction(async (manager) => {
        await enqueueWebhookEvent(manager, { projectId: project.id, type: WebhookEvent.TRANSITION_APPLIED, payload: {} });
        throw new Error('the change failed after queueing its event');
      }),
    ).rejects.toThrow('the change failed');
    expect(await deliveryRows(webhook.id)).toBe(0);
    await enqueue(project.id, WebhookEvent.TRANSITION_APPLIED);
    expect(await deliveryRows(webhook.id)).toBe(1);
  });

  it('sends each event only to the active webhooks subscribed to it', async () => {
    const receiver = await startReceiver();
    const project = await seedProject(app);
    const aliases = await createWebhook(project.key, receiver.url('/aliases'), ['ALIAS_MOVED']);
    const applied = await createWebhook(project.key, receiver.url('/applied'), ['TRANSITION_APPLIED']);
    const paused = await createWebhook(project.key, receiver.url('/paused'), ['ALIAS_MOVED']);
    expect(ok(await app.gql(SET_ACTIVE, { id: paused.id, active: false }, app.adminToken)).setWebhookActive).toEqual({ id: paused.id, active: false });
    const other = await seedProject(app);

    await enqueue(project.id, WebhookEvent.ALIAS_MOVED, { alias: 'champion' });
    await enqueue(project.id, WebhookEvent.TRANSITION_REQUESTED);
    await enqueue(other.id, WebhookEvent.ALIAS_MOVED);
    await eventually('the alias event at its subscriber', async () => (await deliveryLog(aliases.id)).length === 1);

    expect(receiver.on('/aliases').map((request) => request.json.type)).toEqual(['ALIAS_MOVED']);
    expect([await deliveryRows(applied.id), await deliveryRows(paused.id)]).toEqual([0, 0]);
    expect(receiver.on('/applied')).toEqual([]);
    expect(receiver.on('/paused')).toEqual([]);
    const audit = await app.dataSource.query(`SELECT action, before->>'active' AS before, after->>'active' AS after FROM audit_event WHERE entity_id = $1 ORDER BY id`, [paused.id]);
    expect(audit).toEqual([
      { action: 'webhook.created', before: null, after: 'true' },
      { action: 'webhook.deactivated', before: 'true', after: 'false' },
    ]);
  });

  it('redelivers an event on request: same event id, new delivery', async () => {
    const receiver = await startReceiver();
    const project = await seedProject(app);
    const webhook = await createWebhook(project.key, receiver.url('/hook'), ['TRANSITION_REJECTED']);
    await enqueue(project.id, WebhookEvent.TRANSITION_REJECTED, { requestId: 'r-2' });
    const [delivered] = await eventually('the first delivery', async () => {
      const attempts = await deliveryLog(webhook.id);
      return attempts.length === 1 && attempts[0].status === 'DELIVERED' && attempts;
    });

    const redelivery = ok(await app.gql(REDELIVER, { id: delivered.deliveryId }, app.adminToken)).redeliverWebhook;
    expect(redelivery).toMatchObject({ eventId: delivered.eventId, eventType: 'TRANSITION_REJECTED', status: 'PENDING', redeliveryOf: delivered.deliveryId });
    await eventually('the redelivery', () => receiver.received.length === 2);
    const [original, again] = receiver.received;
    expect(again.body).toBe(original.body);
    expect(signatureVerifies(again)).toBe(true);
    expect(again.headers['x-pedigree-delivery']).toBe(redelivery.id);
    expect(again.headers['x-pedigree-delivery']).not.toBe(original.headers['x-pedigree-delivery']);
    const [audit] = await app.dataSource.query(`SELECT action, after FROM audit_event WHERE entity_id = $1`, [redelivery.id]);
    expect(audit).toMatchObject({ action: 'webhook.redelivery_queued', after: { eventId: delivered.eventId, redeliveryOf: delivered.deliveryId } });

    const reviewer = await seedUser(app, { project: project.key, role: 'REVIEWER' });
    await expect(app.gql(REDELIVER, { id: delivered.deliveryId }, reviewer.token)).resolves.toFailWith('FORBIDDEN');
    await expect(app.gql(REDELIVER, { id: 'not-an-id' }, app.adminToken)).resolves.toFailWith('NOT_FOUND');
  });

  it('delivers each event exactly once while several API replicas poll the same outbox', async () => {
    const receiver = await startReceiver();
    const project = await seedProject(app);
    const webhook = await createWebhook(project.key, receiver.url('/many'), ['TRANSITION_REVIEWED']);
    const replicas = [startWebhookWorker(app.dataSource, loadWebhookSettings(WEBHOOK_ENV)), startWebhookWorker(app.dataSource, loadWebhookSettings(WEBHOOK_ENV))];
    try {
      await app.dataSource.transaction(async (manager) => {
        for (let index = 0; index < 60; index += 1) {
          await enqueueWebhookEvent(manager, { projectId: project.id, type: WebhookEvent.TRANSITION_REVIEWED, payload: { index } });
        }
      });
      const log = await eventually('60 deliveries', async () => {
        const attempts = await deliveryLog(webhook.id);
        return attempts.length >= 60 && attempts;
      });
      expect(log).toHaveLength(60);
      expect(log.every((attempt) => attempt.status === 'DELIVERED' && attempt.attempt === 1)).toBe(true);
      expect(receiver.received).toHaveLength(60);
      expect(new Set(receiver.received.map((request) => request.json.payload.index)).size).toBe(60);
    } finally {
      await Promise.all(replicas.map((worker) => worker.stop()));
    }
  });

  it('times out a receiver that does not answer, and retries', async () => {
    const receiver = await startReceiver((_request, nth) => (nth === 1 ? 'hang' : 200));
    const project = await seedProject(app);
    const webhook = await createWebhook(project.key, receiver.url('/slow'), ['ALIAS_MOVED']);
    await enqueue(project.id, WebhookEvent.ALIAS_MOVED);
    const log = await eventually('a delivery after the timeout', async () => {
      const attempts = await deliveryLog(webhook.id);
      return attempts[0]?.status === 'DELIVERED' && attempts;
    });
    expect(log.map(({ attempt, responseStatus }) => ({ attempt, responseStatus }))).toEqual([
      { attempt: 2, responseStatus: 200 },
      { attempt: 1, responseStatus: null },
    ]);
    expect(log[1].error).toMatch(/no complete response within 1000 ms/);
  });

  it('reports governance changes, and a receiver that keeps failing neither blocks nor undoes them', async () => {
    const receiver = await startReceiver(() => 503);
    const project = await seedProject(app);
    const webhook = await createWebhook(project.key, receiver.url('/down'), ['TRANSITION_REQUESTED', 'TRANSITION_APPLIED']);
    const { run } = await seedFinishedRun(app, app.adminToken, project.key);
    const version = ok(await registerVersion(app, app.adminToken, project.key, run.id)).registerModelVersion;

    const requested = await app.gql(`mutation($input: RequestTransitionInput!) { requestTransition(input: $input) { id status } }`, {
      input: { modelVersionId: version.id, toStage: 'STAGING' },
    }, app.adminToken);
    expect(ok(requested).requestTransition.status).toBe('APPLIED');

    // Each delivery gives up after the configured 4 attempts.
    const log = await eventually('both deliveries FAILED', async () => {
      const attempts = await deliveryLog(webhook.id);
      return attempts.filter((attempt) => attempt.status === 'FAILED').length === 2 && attempts;
    });
    expect(log).toHaveLength(8);
    expect(new Set(receiver.received.map((request) => request.json.type))).toEqual(new Set(['TRANSITION_REQUESTED', 'TRANSITION_APPLIED']));
    expect(receiver.received.every((request) => signatureVerifies(request))).toBe(true);
    expect(log.filter((attempt) => attempt.status === 'FAILED').every((attempt) => attempt.attempt === 4 && attempt.nextAttemptAt === null)).toBe(true);
    expect((await app.dataSource.query(`SELECT stage FROM model_version WHERE id = $1`, [version.id]))[0].stage).toBe('STAGING');
  });
});

describe('webhooks in production', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startAppWith({ ...WEBHOOK_ENV, NODE_ENV: 'production', PEDIGREE_WEBHOOK_ALLOW_PRIVATE: 'false' });
  });
  afterAll(() => app.close());

  it.each(['http://127.0.0.1:8080/hook', 'http://10.0.0.5/hook', 'http://localhost:8080/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest'])(
    'refuses %s, which reaches a loopback, private or link-local address',
    async (url) => {
      const project = await seedProject(app);
      const result = await app.gql(CREATE, { input: { project: project.key, url, events: ['TRANSITION_APPLIED'], secret: SECRET } }, app.adminToken);
      expect(result).toFailWith('BAD_USER_INPUT', /url is refused: .* a loopback, private or link-local address; set PEDIGREE_WEBHOOK_ALLOW_PRIVATE=true/);
    },
  );

  it('checks the address again at delivery time, so a name that later resolves inside is still refused', async () => {
    const receiver = await startReceiver();
    const project = await seedProject(app);
    // Stored directly, as if the names had resolved to public addresses when the webhooks were created.
    const webhookIds: string[] = [];
    for (const host of ['127.0.0.1', 'localhost']) {
      const [{ id }] = await app.dataSource.query(`INSERT INTO webhook (project_id, url, events, secret) VALUES ($1, $2, '{ALIAS_MOVED}', $3) RETURNING id`, [
        project.id,
        `http://${host}:${receiver.port}/inside`,
        SECRET,
      ]);
      webhookIds.push(id);
    }
    await app.dataSource.transaction((manager) => enqueueWebhookEvent(manager, { projectId: project.id, type: WebhookEvent.ALIAS_MOVED, payload: {} }));

    for (const webhookId of webhookIds) {
      const [attempt] = await eventually('a refused attempt', async () => {
        const page = ok(await app.gql(LOG, { id: webhookId }, app.adminToken)).webhookDeliveries;
        return page.totalCount > 0 && page.edges.map((edge: { node: LoggedAttempt }) => edge.node);
      });
      expect(attempt).toMatchObject({ responseStatus: null, error: expect.stringMatching(/loopback, private or link-local address/) });
    }
    expect(receiver.received).toEqual([]);
  });
});
