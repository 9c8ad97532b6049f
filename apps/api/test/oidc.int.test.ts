import { generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { signSessionToken } from '../src/common/auth/credentials';
import { AuthService } from '../src/modules/auth/auth.service';
import { registerVersion, seedFinishedRun, seedProject, seedUser } from './factories';
import { ok, startTestApp, TEST_SECRET, type TestApp } from './utils/test-app';

/**
 * Single sign-on against a real OpenID provider (oidc-provider) on loopback, driven without a
 * browser: fetch follows the redirects, keeps each host's cookies, and the provider's login
 * interaction signs in whichever account the test names.
 */

// oidc-provider ships no types (they are in @types/oidc-provider, not installed): the parts used here.
interface ProviderGrant {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
interface ProviderContext {
  path: string;
  body: unknown;
}
interface OpenIdProvider {
  callback(): http.RequestListener;
  interactionDetails(req: http.IncomingMessage, res: http.ServerResponse): Promise<{ prompt: { name: string }; grantId?: string; session?: { accountId: string }; params: Record<string, unknown> }>;
  interactionFinished(req: http.IncomingMessage, res: http.ServerResponse, result: object, options: { mergeWithLastSubmission: boolean }): Promise<void>;
  Grant: { new (init: { accountId?: string; clientId: string }): ProviderGrant; find(id: string): Promise<ProviderGrant | undefined> };
  use(middleware: (ctx: ProviderContext, next: () => Promise<void>) => Promise<void>): void;
}
// The provider's development notices (in-memory adapter, default lifetimes, Node 20) are expected here.
for (const level of ['info', 'warn'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => void (String(args[0]).startsWith('oidc-provider') || original(...args));
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Provider: new (issuer: string, configuration: object) => OpenIdProvider = require('oidc-provider').default;

const CLIENT_ID = 'pedigree';
const CLIENT_SECRET = 'pedigree-client-secret-0123456789';
const WEB_URL = 'http://localhost:3999';

interface Account {
  email: string;
  name: string;
  groups: string[];
}

const accounts = new Map<string, Account>();
let signingInAs = '';
/** When set, rewrites the ID token the provider's token endpoint returns. */
let rewriteIdToken: ((idToken: string) => string) | null = null;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SIGNING_KEY = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** The ID token with claims changed and signed again with the provider's own key: only the claims are wrong. */
function resigned(idToken: string, changes: Record<string, unknown>): string {
  const [header, payload] = idToken.split('.');
  const body = base64url({ ...decode(payload), ...changes });
  return `${header}.${body}.${sign('sha256', Buffer.from(`${header}.${body}`), privateKey).toString('base64url')}`;
}

/** The ID token with claims changed but the original signature kept. */
function tampered(idToken: string, changes: Record<string, unknown>): string {
  const [header, payload, signature] = idToken.split('.');
  return `${header}.${base64url({ ...decode(payload), ...changes })}.${signature}`;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startProvider(redirectUrl: string): Promise<{ issuer: string; close(): Promise<void> }> {
  let provider: OpenIdProvider | undefined;
  const server = http.createServer(async (req, res) => {
    if (!provider) return void res.writeHead(503).end();
    if (!req.url?.startsWith('/interaction/')) return provider.callback()(req, res);
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      await provider.interactionFinished(req, res, { login: { accountId: signingInAs } }, { mergeWithLastSubmission: false });
      return;
    }
    const grant =
      (details.grantId && (await provider.Grant.find(details.grantId))) || new provider.Grant({ accountId: details.session?.accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  provider = new Provider(issuer, {
    clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [redirectUrl], token_endpoint_auth_method: 'client_secret_post' }],
    jwks: { keys: [SIGNING_KEY as never] },
    cookies: { keys: ['provider-cookie-key-0123456789'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: { openid: ['sub'], email: ['email'], profile: ['name'], groups: ['groups'] },
    // Every claim of the granted scopes goes into the ID token, as Okta or Entra ID are configured to do for groups.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined;
    },
  });
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (rewriteIdToken && ctx.path === '/token' && body?.id_token) ctx.body = { ...body, id_token: rewriteIdToken(body.id_token) };
  });
  return { issuer, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Just enough of a browser: manual redirects, and cookies kept per host. */
class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  async get(url: string): Promise<Response> {
    const host = new URL(url).host;
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    const header = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: header ? { cookie: header } : {} });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')).trim(), pair.slice(pair.indexOf('=') + 1).trim()];
      const expired = attributes.some((attribute) => /^\s*expires=Thu, 01 Jan 1970/i.test(attribute) || /^\s*max-age=0$/i.test(attribute));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(host, cookies);
    return response;
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).host)?.get(name);
  }
}

let app: TestApp;
let provider: { issuer: string; close(): Promise<void> };
let apiOrigin: string;
let redirectUrl: string;

beforeAll(async () => {
  const port = await freePort();
  apiOrigin = `http://localhost:${port}`;
  redirectUrl = `${apiOrigin}/auth/oidc/callback`;
  provider = await startProvider(redirectUrl);
  app = await startTestApp({
    port,
    auth: {
      approvalReauthMinutes: 15,
      oidc: { issuer: provider.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUrl, scopes: 'openid email profile groups', groupsClaim: 'groups', webUrl: WEB_URL },
    },
  });
});
afterAll(async () => {
  await app.close();
  await provider.close();
});
afterEach(() => {
  rewriteIdToken = null;
});

let sequence = 0;
/** An account at the provider, with a subject that no other test uses. */
function providerAccount(groups: string[], email = `sso-${(sequence += 1)}-${Date.now()}@example.com`): { subject: string; account: Account } {
  const subject = `subject-${sequence}-${Date.now()}`;
  const account = { email, name: `SSO User ${sequence}`, groups };
  accounts.set(subject, account);
  return { subject, account };
}

interface SignInResult {
  response: Response;
  browser: Browser;
  callbackUrl: string;
  /** The pending sign-in cookie the callback was called with. */
  pendingCookie: string;
  /** The web app's session cookie the API set, if the sign-in succeeded. */
  session?: string;
  text: string;
}

/** Runs the whole code flow as `subject`, from the API's login route to the callback's answer. */
async function signIn(subject: string, { returnTo = '/models', reauthenticate = false, browser = new Browser() } = {}): Promise<SignInResult> {
  signingInAs = subject;
  let response = await browser.get(`${apiOrigin}/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}${reauthenticate ? '&reauthenticate=true' : ''}`);
  for (let hop = 0; hop < 10 && response.status >= 300 && response.status < 400; hop += 1) {
    const location = new URL(response.headers.get('location') as string, response.url || provider.issuer).href;
    if (location.startsWith(redirectUrl)) {
      const pendingCookie = browser.cookie(apiOrigin, 'pedigree_oidc') as string;
      const callback = await browser.get(location);
      return { response: callback, browser, callbackUrl: location, pendingCookie, session: browser.cookie(apiOrigin, 'pedigree_session'), text: await callback.text() };
    }
    response = await browser.get(location);
  }
  throw new Error(`the flow did not reach the callback: ${response.status} ${await response.text()}`);
}

const ME = `{ me { id email name authMethod authenticatedAt } }`;
const PROJECT_ROLES = `{ projects { key viewerRole members { user { email } role source } } }`;

function rolesOf(data: { projects: Array<{ key: string; viewerRole: string; members: Array<{ user: { email: string }; source: string }> }> }, email: string) {
  return Object.fromEntries(data.projects.map((project) => [project.key, `${project.viewerRole}/${project.members.find((member) => member.user.email === email)?.source}`]));
}

const auditActions = async (projectId: string | null, entityId: string) =>
  (await app.dataSource.query(`SELECT action, before, after FROM audit_event WHERE project_id IS NOT DISTINCT FROM $1 AND entity_id = $2 ORDER BY seq`, [projectId, entityId])) as Array<{
    action: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  }>;

describe('single sign-on code flow', () => {
  it('creates the user on first sign-in, sets the session cookie and lands on returnTo', async () => {
    const { subject, account } = providerAccount([]);
    const result = await signIn(subject, { returnTo: '/models?stage=PRODUCTION' });
    expect(result.response.status).toBe(302);
    expect(result.response.headers.get('location')).toBe(`${WEB_URL}/models?stage=PRODUCTION`);
    const setCookie = result.response.headers.getSetCookie().find((line) => line.startsWith('pedigree_session='));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);

    const { me } = ok(await app.gql(ME, {}, result.session));
    expect(me).toMatchObject({ email: account.email, name: account.name, authMethod: 'OIDC' });
    expect(Math.abs(Date.parse(me.authenticatedAt) - Date.now())).toBeLessThan(60_000);
    const [identity] = await app.dataSource.query(`SELECT issuer, subject FROM user_identity WHERE user_id = $1`, [me.id]);
    expect(identity).toEqual({ issuer: provider.issuer, subject });
    expect((await auditActions(null, me.id)).map((event) => event.action)).toEqual(['user.created', 'auth.oidc_login_succeeded']);
  });

  it('matches a returning user by issuer and subject, even when the provider changed their email', async () => {
    const { subject, account } = providerAccount([]);
    const first = ok(await app.gql(ME, {}, (await signIn(subject)).session)).me;
    account.email = `renamed-${Date.now()}@example.com`;
    const second = ok(await app.gql(ME, {}, (await signIn(subject)).session)).me;
    expect(second).toMatchObject({ id: first.id, email: account.email });
  });

  it('never links an account by email alone', async () => {
    const existing = await seedUser(app);
    const { subject } = providerAccount([], existing.email);
    const result = await signIn(subject);
    expect(result.response.status).toBe(409);
    expect(result.text).toMatch(/already exists and is not linked/);
    expect(result.session).toBeUndefined();
  });

  it('refuses a returnTo that leaves the web app', async () => {
    for (const returnTo of ['https://evil.example/models', '//evil.example/models', '/\\evil.example', 'models']) {
      const response = await fetch(`${apiOrigin}/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`, { redirect: 'manual' });
      expect({ returnTo, status: response.status }).toEqual({ returnTo, status: 400 });
      expect(await response.text()).toMatch(/returnTo must be a path of the web app/);
    }
  });
});

describe('ID token verification', () => {
  const refusedWith = async (rewrite: (idToken: string) => string, message: RegExp) => {
    const { subject } = providerAccount([]);
    rewriteIdToken = rewrite;
    const result = await signIn(subject);
    expect(result.response.status).toBe(401);
    expect(result.text).toMatch(message);
    expect(result.session).toBeUndefined();
    const [failure] = await app.dataSource.query(`SELECT after FROM audit_event WHERE action = 'auth.oidc_login_failed' ORDER BY occurred_at DESC, seq DESC LIMIT 1`);
    expect(failure.after.reason).toBe('ID_TOKEN_REJECTED');
  };

  it('refuses a tampered ID token', () => refusedWith((token) => tampered(token, { groups: ['admins'] }), /signature does not match the identity provider's keys/));

  it('refuses an ID token for another audience', () => refusedWith((token) => resigned(token, { aud: 'another-app' }), /issued for another application \(audience\)/));

  it('refuses an expired ID token', () => refusedWith((token) => resigned(token, { exp: Math.floor(Date.now() / 1000) - 3600 }), /it has expired/));

  it('refuses an ID token with another nonce', () => refusedWith((token) => resigned(token, { nonce: 'not-this-sign-in' }), /does not belong to this sign-in \(nonce\)/));
});

describe('state', () => {
  it('refuses a replayed sign-in response', async () => {
    const { subject } = providerAccount([]);
    const first = await signIn(subject);
    expect(first.response.status).toBe(302);

    const replay = await fetch(first.callbackUrl, { redirect: 'manual', headers: { cookie: `pedigree_oidc=${first.pendingCookie}` } });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toMatch(/already used/);
  });

  it('refuses a response whose state is not the one this browser started', async () => {
    const { subject } = providerAccount([]);
    const browser = new Browser();
    await browser.get(`${apiOrigin}/auth/oidc/login?returnTo=/`);
    const other = await signIn(subject);
    const forged = await fetch(other.callbackUrl, { redirect: 'manual', headers: { cookie: `pedigree_oidc=${browser.cookie(apiOrigin, 'pedigree_oidc')}` } });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toMatch(/state mismatch/);

    const withoutCookie = await fetch(other.callbackUrl, { redirect: 'manual' });
    expect(withoutCookie.status).toBe(400);
    expect(await withoutCookie.text()).toMatch(/no sign-in in progress/);
  });
});

const SET_GROUP_ROLE = `mutation($input: SetProjectGroupRoleInput!) { setProjectGroupRole(input: $input) { group role } }`;
const setGroupRole = (project: string, group: string, role: string) => app.gql(SET_GROUP_ROLE, { input: { project, group, role } }, app.adminToken);

describe('group to role mapping', () => {
  it('adds, changes and removes group memberships at each sign-in, and leaves hand-granted ones alone', async () => {
    const team = await seedProject(app);
    const review = await seedProject(app);
    const handled = await seedProject(app);
    ok(await setGroupRole(team.key, 'ml-team', 'CONTRIBUTOR'));
    ok(await setGroupRole(team.key, 'ml-leads', 'OWNER'));
    ok(await setGroupRole(review.key, 'ml-reviewers', 'REVIEWER'));
    ok(await setGroupRole(handled.key, 'ml-team', 'OWNER'));
    const { subject, account } = providerAccount(['ml-reviewers', 'ml-team', 'unmapped']);

    const first = await signIn(subject);
    const { me } = ok(await app.gql(ME, {}, first.session));
    expect(rolesOf(ok(await app.gql(PROJECT_ROLES, {}, first.session)), account.email)).toEqual({
      [team.key]: 'CONTRIBUTOR/GROUP',
      [review.key]: 'REVIEWER/GROUP',
      [handled.key]: 'OWNER/GROUP',
    });

    // A hand grant takes over the group-derived membership in that project.
    ok(await app.gql(`mutation($input: AddProjectMemberInput!) { addProjectMember(input: $input) { role } }`, { input: { project: handled.key, email: account.email, role: 'VIEWER' } }, app.adminToken));
    account.groups = ['ml-leads', 'ml-team'];
    const second = await signIn(subject);
    expect(rolesOf(ok(await app.gql(PROJECT_ROLES, {}, second.session)), account.email)).toEqual({
      [team.key]: 'OWNER/GROUP',
      [handled.key]: 'VIEWER/MANUAL',
    });

    expect(await auditActions(team.id, me.id)).toEqual([
      { action: 'project_member.added', before: null, after: { email: account.email, role: 'CONTRIBUTOR', source: 'GROUP', group: 'ml-team' } },
      { action: 'project_member.role_changed', before: { email: account.email, role: 'CONTRIBUTOR', source: 'GROUP' }, after: { email: account.email, role: 'OWNER', source: 'GROUP', group: 'ml-leads' } },
    ]);
    expect((await auditActions(review.id, me.id)).map((event) => event.action)).toEqual(['project_member.added', 'project_member.removed']);
  });

  it('applies a changed mapping at once to members who signed in before', async () => {
    const project = await seedProject(app);
    ok(await setGroupRole(project.key, 'data-eng', 'VIEWER'));
    const { subject, account } = providerAccount(['data-eng']);
    const { session } = await signIn(subject);
    expect(rolesOf(ok(await app.gql(PROJECT_ROLES, {}, session)), account.email)).toEqual({ [project.key]: 'VIEWER/GROUP' });

    ok(await setGroupRole(project.key, 'data-eng', 'CONTRIBUTOR'));
    expect(rolesOf(ok(await app.gql(PROJECT_ROLES, {}, session)), account.email)).toEqual({ [project.key]: 'CONTRIBUTOR/GROUP' });
    ok(await app.gql(`mutation($p: String!, $g: String!) { removeProjectGroupRole(project: $p, group: $g) }`, { p: project.key, g: 'data-eng' }, app.adminToken));
    expect(ok(await app.gql(PROJECT_ROLES, {}, session)).projects).toEqual([]);
  });

  it('lets only an OWNER map groups', async () => {
    const project = await seedProject(app);
    const reviewer = await seedUser(app, { project: project.key, role: 'REVIEWER' });
    const attempt = await app.gql(SET_GROUP_ROLE, { input: { project: project.key, group: 'anyone', role: 'OWNER' } }, reviewer.token);
    expect(attempt).toFailWith('FORBIDDEN', /OWNER/);
  });
});

describe('re-authentication for production approvals', () => {
  const REVIEW = `mutation($input: ReviewTransitionInput!) { reviewTransition(input: $input) { status } }`;

  async function pendingProductionRequest(project: string) {
    const scientist = await seedUser(app, { project, role: 'CONTRIBUTOR' });
    const { run } = await seedFinishedRun(app, scientist.token, project);
    const version = ok(await registerVersion(app, scientist.token, project, run.id)).registerModelVersion;
    const request = (toStage: string) =>
      app.gql(`mutation($input: RequestTransitionInput!) { requestTransition(input: $input) { id status } }`, { input: { modelVersionId: version.id, toStage } }, scientist.token);
    expect(ok(await request('STAGING')).requestTransition.status).toBe('APPLIED');
    return ok(await request('PRODUCTION')).requestTransition.id as string;
  }

  it('refuses an approval when the sign-in is older than the window, and records the signature of a fresh one', async () => {
    const project = await seedProject(app);
    ok(await setGroupRole(project.key, 'approvers', 'REVIEWER'));
    const { subject } = providerAccount(['approvers']);
    const { me } = ok(await app.gql(ME, {}, (await signIn(subject)).session));
    const requestId = await pendingProductionRequest(project.key);

    const stale = signSessionToken({ userId: me.id, method: 'OIDC', authenticatedAt: new Date(Date.now() - 20 * 60_000) }, TEST_SECRET, 1);
    const refused = await app.gql(REVIEW, { input: { requestId, decision: 'APPROVE' } }, stale);
    expect(refused).toFailWith('UNAUTHENTICATED', /within the last 15 minutes.*20 minutes ago/);
    expect(refused.errors?.[0].extensions).toMatchObject({ reason: 'REAUTHENTICATION_REQUIRED', maxAgeMinutes: 15 });
    // The older session still serves everything else.
    expect(ok(await app.gql(`{ me { authMethod } }`, {}, stale)).me.authMethod).toBe('OIDC');

    const fresh = await signIn(subject, { reauthenticate: true });
    expect(ok(await app.gql(REVIEW, { input: { requestId, decision: 'APPROVE', comment: 'checked the eval report' } }, fresh.session)).reviewTransition.status).toBe('APPLIED');
    const [approval] = await auditActions(project.id, requestId).then((events) => events.filter((event) => event.action === 'transition.approved'));
    expect(approval.after?.signature).toEqual({ meaning: 'approved for production', authMethod: 'OIDC', authenticatedAt: expect.any(String) });
    expect(Math.abs(Date.parse((approval.after?.signature as { authenticatedAt: string }).authenticatedAt) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses an approval for production with an API token', async () => {
    const project = await seedProject(app);
    const reviewer = await seedUser(app, { project: project.key, role: 'REVIEWER' });
    const requestId = await pendingProductionRequest(project.key);
    const { token } = ok(await app.gql(`mutation { createApiToken(input: { name: "ci" }) { token } }`, {}, reviewer.token)).createApiToken;
    const refused = await app.gql(REVIEW, { input: { requestId, decision: 'APPROVE' } }, token);
    expect(refused).toFailWith('UNAUTHENTICATED', /API token cannot sign it/);
    expect(ok(await app.gql(REVIEW, { input: { requestId, decision: 'APPROVE' } }, reviewer.token)).reviewTransition.status).toBe('APPLIED');
  });
});

describe('deactivation', () => {
  const DEACTIVATE = `mutation($e: String!) { deactivateUser(email: $e) { email deactivatedAt } }`;

  it('refuses the next request of every session and API token of the user, and any new sign-in', async () => {
    const { subject, account } = providerAccount([]);
    const { session } = await signIn(subject);
    const { token } = ok(await app.gql(`mutation { createApiToken(input: { name: "laptop" }) { token } }`, {}, session)).createApiToken;
    expect(ok(await app.gql(ME, {}, token)).me).toMatchObject({ authMethod: 'API_TOKEN', authenticatedAt: null });

    expect(ok(await app.gql(DEACTIVATE, { e: account.email }, app.adminToken)).deactivateUser.deactivatedAt).toEqual(expect.any(String));
    expect(await app.gql(ME, {}, session)).toFailWith('UNAUTHENTICATED', /deactivated/);
    expect(await app.gql(ME, {}, token)).toFailWith('UNAUTHENTICATED', /revoked/);
    const again = await signIn(subject);
    expect(again.response.status).toBe(403);
    expect(again.text).toMatch(/has been deactivated/);
    const [{ revoked }] = await app.dataSource.query(`SELECT count(*)::int AS revoked FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE u.email = $1 AND t.revoked_at IS NOT NULL`, [account.email]);
    expect(revoked).toBe(1);
  });

  it('refuses a password sign-in of a deactivated user, and lets only an admin deactivate', async () => {
    const user = await seedUser(app);
    const other = await seedUser(app);
    expect(await app.gql(DEACTIVATE, { e: other.email }, user.token)).toFailWith('FORBIDDEN');
    ok(await app.gql(DEACTIVATE, { e: user.email }, app.adminToken));
    const login = await app.gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: user.email, p: 'user-password-1' });
    expect(login).toFailWith('UNAUTHENTICATED', /deactivated/);
  });
});

describe('password sign-in settings', () => {
  it('tells a password session apart from single sign-on', async () => {
    expect(ok(await app.gql(ME, {}, app.adminToken)).me.authMethod).toBe('PASSWORD');
  });

  it('can be turned off, or kept for instance admins only', async () => {
    const user = await seedUser(app);
    const off = new AuthService(app.dataSource, TEST_SECRET, 1, 'none');
    await expect(off.login(user.email, 'user-password-1')).rejects.toMatchObject({ code: 'FORBIDDEN', details: { reason: 'PASSWORD_LOGIN_DISABLED' } });
    const adminsOnly = new AuthService(app.dataSource, TEST_SECRET, 1, 'admins');
    await expect(adminsOnly.login(user.email, 'user-password-1')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(adminsOnly.login('admin@example.com', 'admin-password-1')).resolves.toMatchObject({ token: expect.any(String) });
  });
});
