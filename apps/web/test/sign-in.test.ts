import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { apiEntry, webDir } from './utils/paths';
import { freePort } from './utils/ports';
import { startProcess, stopProcess, type ManagedProcess } from './utils/processes';
import { waitForUrl } from './utils/wait-for-url';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = `e2e-${randomBytes(9).toString('base64url')}`;
const SESSION_COOKIE = 'pedigree_session';

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

let dataDir: string | undefined;
let api: ManagedProcess | undefined;
let web: ManagedProcess | undefined;
let browser: Browser | undefined;
let apiUrl: string;
let webUrl: string;

/** The environment a fresh laptop would give the API: no DATABASE_URL, so it embeds PostgreSQL. */
function apiEnv(port: number, dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  // Jest sets NODE_ENV=test for itself; the API is not run that way.
  delete env.NODE_ENV;
  return {
    ...env,
    PORT: String(port),
    PEDIGREE_DATA_DIR: dir,
    PEDIGREE_ADMIN_EMAIL: ADMIN_EMAIL,
    PEDIGREE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    PEDIGREE_SECRET: randomBytes(32).toString('hex'),
  };
}

beforeAll(async () => {
  if (!existsSync(apiEntry)) throw new Error(`${apiEntry} is missing: build the API first (npm run build).`);
  if (!existsSync(path.join(webDir, '.next', 'BUILD_ID'))) {
    throw new Error('The web app is not built: run `npx next build` in apps/web first.');
  }

  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pedigree-web-e2e-'));
  const apiPort = await freePort();
  apiUrl = `http://127.0.0.1:${apiPort}`;
  api = startProcess('api', process.execPath, [apiEntry], { cwd: dataDir, env: apiEnv(apiPort, dataDir) });
  await waitForUrl(`${apiUrl}/healthz`, api, 60_000);

  const webPort = await freePort();
  webUrl = `http://127.0.0.1:${webPort}`;
  const nextBin = require.resolve('next/dist/bin/next', { paths: [webDir] });
  web = startProcess('web', process.execPath, [nextBin, 'start', '-p', String(webPort), '-H', '127.0.0.1'], {
    cwd: webDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PEDIGREE_API_URL: `${apiUrl}/graphql`,
    },
  });
  await waitForUrl(`${webUrl}/login`, web, 60_000);

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
});

afterAll(async () => {
  await browser?.close();
  // Web first: it is a client of the API.
  if (web) await stopProcess(web);
  if (api) await stopProcess(api);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Each test gets its own cookie jar, so the tests do not depend on each other's order. */
async function withPage(run: (page: Page, context: BrowserContext) => Promise<void>): Promise<void> {
  if (!browser) throw new Error('Chromium did not start');
  const context = await browser.newContext({ baseURL: webUrl });
  context.setDefaultTimeout(20_000);
  try {
    await run(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

function pathnameOf(page: Page): string {
  return new URL(page.url()).pathname;
}

async function sessionCookie(context: BrowserContext) {
  return (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE);
}

/** What the API itself answers to a wrong password, so the page can be checked against it. */
async function apiLoginError(email: string, password: string): Promise<{ code: unknown; message: string }> {
  const response = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
      variables: { email, password },
    }),
  });
  const body = (await response.json()) as { errors?: Array<{ message: string; extensions?: { code?: unknown } }> };
  const [error] = body.errors ?? [];
  if (!error) throw new Error(`The API accepted a wrong password: ${JSON.stringify(body)}`);
  return { code: error.extensions?.code, message: error.message };
}

describe('signing in to the web app', () => {
  it('sends a visitor without a session to the sign-in page', async () => {
    await withPage(async (page) => {
      await page.goto('/');
      await page.waitForURL('**/login');
      expect(pathnameOf(page)).toBe('/login');
      expect(await page.getByLabel('Email').isVisible()).toBe(true);
      expect(await page.getByLabel('Password').isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    });
  });

  it('sends a visitor whose session the API rejects to the sign-in page', async () => {
    await withPage(async (page, context) => {
      await context.addCookies([{ name: SESSION_COOKIE, value: 'not-a-session-token', url: webUrl }]);
      await page.goto('/');
      await page.waitForURL('**/login');
      expect(pathnameOf(page)).toBe('/login');
      expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    });
  });

  it("shows the API's error message and no session for a wrong password", async () => {
    const expected = await apiLoginError(ADMIN_EMAIL, 'not-the-password');
    expect(expected.code).toBe('UNAUTHENTICATED');

    await withPage(async (page, context) => {
      await submitSignIn(page, ADMIN_EMAIL, 'not-the-password');
      // Scoped to the form: Next's route announcer is an alert region too.
      const alert = page.locator('form').getByRole('alert');
      await alert.waitFor({ state: 'visible' });
      expect((await alert.textContent())?.trim()).toBe(expected.message);
      expect(pathnameOf(page)).toBe('/login');
      expect(await sessionCookie(context)).toBeUndefined();
    });
  });

  it('lands the admin on the home page with the demo project and its model in Production', async () => {
    await withPage(async (page, context) => {
      await submitSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
      await page.waitForURL((url) => url.pathname === '/');

      const cookie = await sessionCookie(context);
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(cookie?.value).not.toBe('');

      await page.getByText(ADMIN_EMAIL, { exact: true }).waitFor({ state: 'visible' });

      const demoProject = page.getByRole('region').filter({ has: page.getByText('demo', { exact: true }) });
      await demoProject.waitFor({ state: 'visible' });
      expect(await demoProject.count()).toBe(1);

      const model = demoProject
        .getByRole('article')
        .filter({ has: page.getByRole('heading', { name: 'fraud-classifier', exact: true }) });
      await model.waitFor({ state: 'visible' });

      const productionRows = model
        .getByRole('row')
        .filter({ has: page.getByRole('cell', { name: 'Production', exact: true }) });
      expect(await productionRows.count()).toBe(1);
      const productionVersion = (await productionRows.getByRole('cell').first().textContent())?.trim();
      expect(productionVersion).toMatch(/^\d+$/);
      expect(await model.getByText(`In Production: version ${productionVersion}`, { exact: true }).isVisible()).toBe(
        true,
      );
    });
  });

  it('signs out back to the sign-in page and forgets the session', async () => {
    await withPage(async (page, context) => {
      await submitSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
      await page.waitForURL((url) => url.pathname === '/');
      expect(await sessionCookie(context)).toBeDefined();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/login');
      expect(pathnameOf(page)).toBe('/login');
      expect(await sessionCookie(context)).toBeUndefined();

      await page.goto('/');
      await page.waitForURL('**/login');
      expect(pathnameOf(page)).toBe('/login');
    });
  });
});
