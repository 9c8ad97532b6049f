import { seedProject, seedUser } from './factories';
import { ADMIN, startTestApp, type TestApp } from './utils/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const base = () => app.url.replace('/graphql', '');

describe('GraphQL limits, checked before any resolver runs', () => {
  it('refuses a document nested deeper than 10, saying which limit, its value and the maximum', async () => {
    const deep = `{ projects { registeredModels { versions { sourceRun { commit { project { registeredModels { versions { sourceRun { parent { name } } } } } } } } } } }`;
    const before = (await app.gql(`{ __typename }`, {}, app.adminToken)).statements;
    const result = await app.gql(deep, {}, app.adminToken);
    expect(result.errors?.[0]).toMatchObject({ message: 'Query depth is 11, above the limit of 10: ask for less nesting', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth', value: 11, max: 10 } });
    // Only authentication touched the database: no resolver ran.
    expect(result.statements).toBe(before);
  });

  it('counts depth through fragments', async () => {
    const viaFragments = `fragment Run on Run { parent { parent { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } } } }
      query { run(id: "00000000-0000-4000-8000-000000000000") { ...Run } }`;
    await expect(app.gql(viaFragments, {}, app.adminToken)).resolves.toFailWith('GRAPHQL_VALIDATION_FAILED', /depth is 11, above the limit of 10/);
  });

  it('refuses alias floods, directive floods and costly lists', async () => {
    const aliases = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    await expect(app.gql(aliases, {}, app.adminToken)).resolves.toFailWith('GRAPHQL_VALIDATION_FAILED', /aliases is 16, above the limit of 15/);
    const directives = `{ me { ${Array.from({ length: 11 }, () => 'id @include(if: true)').join(' ')} } }`;
    await expect(app.gql(directives, {}, app.adminToken)).resolves.toFailWith('GRAPHQL_VALIDATION_FAILED', /directives is 11, above the limit of 10/);
    const costly = `{ lineage(nodeId: "00000000-0000-4000-8000-000000000000", direction: BOTH, limit: 10000) { nodes { id kind label depth redacted node { id project { id key name description createdAt viewerRole } ... on Run { name status } } } edges { from to relation role } } }`;
    await expect(app.gql(costly, {}, app.adminToken)).resolves.toFailWith('GRAPHQL_VALIDATION_FAILED', /cost is \d+, above the limit of 200000/);
  });

  it('refuses too many tokens and too long a document', async () => {
    const tokens = `{ me { ${Array.from({ length: 6000 }, () => 'id').join(' ')} } }`;
    await expect(app.gql(tokens, {}, app.adminToken)).resolves.toFailWith('GRAPHQL_PARSE_FAILED', /more that 5000 tokens/);
    const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(100_001)}` }) });
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].message).toMatch(/Query size is \d+ bytes, above the limit of 100000/);
  });

  it('refuses batched requests', async () => {
    const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) });
    expect(response.status).toBe(400);
  });
});

describe('sign-in rate limit', () => {
  it('answers RATE_LIMITED with the wait once an account has had 10 attempts', async () => {
    const user = await seedUser(app);
    const login = `mutation($e: String!) { login(email: $e, password: "wrong-password") { token } }`;
    for (let attempt = 0; attempt < 9; attempt += 1) await expect(app.gql(login, { e: user.email })).resolves.toFailWith('UNAUTHENTICATED');
    await expect(app.gql(login, { e: user.email })).resolves.toFailWith('RATE_LIMITED', /Too many sign-in attempts; wait \d+ seconds/);
    // Other accounts are not locked out by it.
    await expect(app.gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: ADMIN.email, p: ADMIN.password })).resolves.not.toHaveProperty('errors');
  });
});

describe('operations', () => {
  it('tells liveness, readiness and metrics apart', async () => {
    await seedProject(app);
    expect(await (await fetch(`${base()}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base()}/readyz`)).json()).toEqual({ status: 'ready' });
    const metrics = await (await fetch(`${base()}/metrics`)).text();
    expect(metrics).toMatch(/pedigree_graphql_request_duration_seconds_count\{operation="anonymous",type="mutation"\} \d+/);
    expect(metrics).toMatch(/pedigree_graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} \d+/);
    expect(metrics).toMatch(/pedigree_audit_events_appended_total \d+/);
    expect(metrics).toMatch(/pedigree_db_pool_connections \d+/);
    expect(metrics).toMatch(/pedigree_webhook_outbox_lag_seconds \d+/);
  });

  it('cancels a statement that runs past the timeout', async () => {
    await expect(app.dataSource.query(`SET statement_timeout = 50; SELECT pg_sleep(1)`)).rejects.toThrow(/statement timeout/);
    await app.dataSource.query(`RESET statement_timeout`);
    const [{ statement_timeout: configured }] = await app.dataSource.query(`SHOW statement_timeout`);
    expect(configured).toBe('30s');
  });
});

describe('query budget per token', () => {
  let budgeted: TestApp;
  beforeAll(async () => {
    process.env.PEDIGREE_GRAPHQL_COST_PER_MINUTE = '10';
    try {
      budgeted = await startTestApp();
    } finally {
      delete process.env.PEDIGREE_GRAPHQL_COST_PER_MINUTE;
    }
  });
  afterAll(() => budgeted.close());

  it('refuses with RATE_LIMITED and HTTP 429 once a minute\'s budget is spent', async () => {
    const query = `{ me { id email name isAdmin } }`; // cost 5
    expect((await budgeted.gql(query, {}, budgeted.adminToken)).errors).toBeUndefined();
    expect((await budgeted.gql(query, {}, budgeted.adminToken)).errors).toBeUndefined();
    const refused = await budgeted.gql(query, {}, budgeted.adminToken);
    expect(refused.status).toBe(429);
    expect(refused).toFailWith('RATE_LIMITED', /query budget of 10 per minute is spent; wait \d+ seconds/);
  });
});
