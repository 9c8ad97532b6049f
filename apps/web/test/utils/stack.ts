import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { apiEntry, webDir } from './paths';
import { freePort } from './ports';
import { startProcess, stopProcess, type ManagedProcess } from './processes';
import { waitForUrl } from './wait-for-url';

const ADMIN_EMAIL = 'admin@example.com';

/** Where `screenshot` saves its PNGs, for a person to review after the run (ignored by git). */
export const SCREENSHOT_DIR = path.join(webDir, 'test-results', 'screenshots');

// Chromium as root in a container: no sandbox, no GPU, and nothing that reaches out to the network.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export type ProjectRole = 'VIEWER' | 'CONTRIBUTOR' | 'REVIEWER' | 'OWNER';

export interface GraphQLAnswer<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** A running API (embedded PostgreSQL with the demo project), the built web app, and Chromium. */
export interface Stack {
  /** The API's base URL, without `/graphql`. */
  apiUrl: string;
  webUrl: string;
  adminEmail: string;
  adminPassword: string;
  /** Runs `run` with a fresh cookie jar, so tests do not depend on each other's order. */
  withPage(run: (page: Page, context: BrowserContext) => Promise<void>): Promise<void>;
  /** Signs in through the form and waits until the app has left /login. */
  signIn(page: Page, email: string, password: string): Promise<void>;
  /** One GraphQL request; throws on transport failures, returns GraphQL errors in the answer. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLAnswer<T>>;
  /** A session token of the instance admin (who owns the demo project). */
  adminToken(): Promise<string>;
  /** Creates a user and, with `projectKey` and `role`, makes them a member; returns the user's id. */
  createUser(email: string, password: string, projectKey?: string, role?: ProjectRole): Promise<string>;
  stop(): Promise<void>;
}

/** The environment a fresh laptop would give the API: no DATABASE_URL, so it embeds PostgreSQL. */
function apiEnv(port: number, dataDir: string, adminPassword: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  // Jest sets NODE_ENV=test for itself; the API is not run that way.
  delete env.NODE_ENV;
  return {
    ...env,
    PORT: String(port),
    PEDIGREE_DATA_DIR: dataDir,
    PEDIGREE_ADMIN_EMAIL: ADMIN_EMAIL,
    PEDIGREE_ADMIN_PASSWORD: adminPassword,
    PEDIGREE_SECRET: randomBytes(32).toString('hex'),
    // Every test signs in from 127.0.0.1, many times over; the limit itself is tested in the API's suite.
    PEDIGREE_SIGNIN_MAX_PER_ACCOUNT: '100000',
    PEDIGREE_SIGNIN_MAX_PER_ADDRESS: '100000',
  };
}

/** The build directory `next start` serves; next.config.ts reads the same variable. */
function distDir(): string {
  return process.env.PEDIGREE_WEB_DIST_DIR || '.next';
}

function checkBuilt(): void {
  if (!existsSync(apiEntry)) {
    throw new Error(`${apiEntry} is missing: build the API first (cd apps/api && npx tsc -p tsconfig.build.json).`);
  }
  if (!existsSync(path.join(webDir, distDir(), 'BUILD_ID'))) {
    const env = process.env.PEDIGREE_WEB_DIST_DIR ? `PEDIGREE_WEB_DIST_DIR=${distDir()} ` : '';
    throw new Error(`The web app is not built in ${distDir()}: run \`${env}npx next build\` in apps/web first.`);
  }
}

/**
 * Debian's Chromium (never a downloaded browser). When it is missing, installs it with apt if this
 * process may (root, apt-get present); otherwise says what to do.
 */
function chromiumPath(): string {
  const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(executable)) return executable;
  const howTo = `install Debian's Chromium (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary`;
  if (process.env.CHROMIUM_PATH || process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`Chromium is missing at ${executable}: ${howTo}.`);
  }
  const apt = (args: string[]) =>
    execFileSync('apt-get', args, { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 90_000 });
  try {
    apt(['update', '-qq']);
    apt(['install', '-y', '--no-install-recommends', 'chromium']);
  } catch (error) {
    throw new Error(`Chromium is missing and apt-get could not install it (${(error as Error).message}): ${howTo}.`);
  }
  if (!existsSync(executable)) throw new Error(`apt-get installed chromium but ${executable} is still missing: ${howTo}.`);
  return executable;
}

export async function startStack(): Promise<Stack> {
  checkBuilt();
  const executablePath = chromiumPath();
  const adminPassword = `e2e-${randomBytes(9).toString('base64url')}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pedigree-web-e2e-'));
  let api: ManagedProcess | undefined;
  let web: ManagedProcess | undefined;
  let browser: Browser | undefined;

  const stop = async () => {
    await browser?.close();
    // Web first: it is a client of the API.
    if (web) await stopProcess(web);
    if (api) await stopProcess(api);
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    api = startProcess('api', process.execPath, [apiEntry], { cwd: dataDir, env: apiEnv(apiPort, dataDir, adminPassword) });
    await waitForUrl(`${apiUrl}/healthz`, api, 60_000);

    const webPort = await freePort();
    const webUrl = `http://127.0.0.1:${webPort}`;
    const nextBin = require.resolve('next/dist/bin/next', { paths: [webDir] });
    web = startProcess('web', process.execPath, [nextBin, 'start', '-p', String(webPort), '-H', '127.0.0.1'], {
      cwd: webDir,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        PEDIGREE_API_URL: `${apiUrl}/graphql`,
        PEDIGREE_WEB_DIST_DIR: distDir(),
      },
    });
    await waitForUrl(`${webUrl}/login`, web, 60_000);

    const launched = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    browser = launched;
    return makeStack({ apiUrl, webUrl, adminPassword, browser: launched, stop });
  } catch (error) {
    await stop();
    throw error;
  }
}

function makeStack(options: {
  apiUrl: string;
  webUrl: string;
  adminPassword: string;
  browser: Browser;
  stop: () => Promise<void>;
}): Stack {
  const { apiUrl, webUrl, adminPassword, browser } = options;
  let cachedAdminToken: string | undefined;

  const graphql: Stack['graphql'] = async (query, variables = {}, token) => {
    const response = await fetch(`${apiUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLAnswer<never>;
  };

  /** For setup steps that must succeed: the data, or an error naming what the API said. */
  const graphqlData = async <T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> => {
    const answer = await graphql<T>(query, variables, token);
    if (answer.errors?.length || !answer.data) {
      throw new Error(`GraphQL request failed: ${JSON.stringify(answer.errors ?? answer)}`);
    }
    return answer.data;
  };

  const login = async (email: string, password: string) => {
    const data = await graphqlData<{ login: { token: string } }>(
      'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
      { email, password },
    );
    return data.login.token;
  };

  const adminToken = async () => (cachedAdminToken ??= await login(ADMIN_EMAIL, adminPassword));

  return {
    apiUrl,
    webUrl,
    adminEmail: ADMIN_EMAIL,
    adminPassword,
    graphql,
    adminToken,

    async withPage(run) {
      const context = await browser.newContext({ baseURL: webUrl, viewport: { width: 1366, height: 900 } });
      context.setDefaultTimeout(20_000);
      try {
        await run(await context.newPage(), context);
      } finally {
        await context.close();
      }
    },

    async signIn(page, email, password) {
      await page.goto('/login');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => url.pathname !== '/login');
    },

    async createUser(email, password, projectKey, role) {
      const token = await adminToken();
      const name = email.split('@')[0];
      const created = await graphqlData<{ createUser: { id: string } }>(
        'mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { id } }',
        { input: { email, name, password } },
        token,
      );
      if (projectKey && role) {
        await graphqlData(
          'mutation AddMember($input: AddProjectMemberInput!) { addProjectMember(input: $input) { role } }',
          { input: { project: projectKey, email, role } },
          token,
        );
      }
      return created.createUser.id;
    },

    stop: options.stop,
  };
}

/** Saves a full-page PNG as test-results/screenshots/<name>.png, for review after the run. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
