import type { BrowserContext, Page } from 'playwright-core';
import { screenshot, startStack, type Stack } from './utils/stack';

const SESSION_COOKIE = 'pedigree_session';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

/** Fills and submits the form without waiting for the outcome, which may be an error. */
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
  const answer = await stack.graphql(
    'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
    { email, password },
  );
  const [error] = answer.errors ?? [];
  if (!error) throw new Error(`The API accepted a wrong password: ${JSON.stringify(answer)}`);
  return { code: error.extensions?.code, message: error.message };
}

describe('signing in to the web app', () => {
  it('sends a visitor without a session to the sign-in page', async () => {
    await stack.withPage(async (page) => {
      await page.goto('/');
      await page.waitForURL('**/login');
      expect(pathnameOf(page)).toBe('/login');
      expect(await page.getByLabel('Email').isVisible()).toBe(true);
      expect(await page.getByLabel('Password').isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    });
  });

  it('sends a visitor whose session the API rejects to the sign-in page', async () => {
    await stack.withPage(async (page, context) => {
      await context.addCookies([{ name: SESSION_COOKIE, value: 'not-a-session-token', url: stack.webUrl }]);
      await page.goto('/');
      await page.waitForURL('**/login');
      expect(pathnameOf(page)).toBe('/login');
      expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    });
  });

  it("shows the API's error message and no session for a wrong password", async () => {
    const expected = await apiLoginError(stack.adminEmail, 'not-the-password');
    expect(expected.code).toBe('UNAUTHENTICATED');

    await stack.withPage(async (page, context) => {
      await submitSignIn(page, stack.adminEmail, 'not-the-password');
      // Scoped to the form: Next's route announcer is an alert region too.
      const alert = page.locator('form').getByRole('alert');
      await alert.waitFor({ state: 'visible' });
      expect((await alert.textContent())?.trim()).toBe(expected.message);
      await screenshot(page, 'login-error');
      expect(pathnameOf(page)).toBe('/login');
      expect(await sessionCookie(context)).toBeUndefined();
    });
  });

  it('lands the admin on the models of the demo project, its model with a version in Production', async () => {
    await stack.withPage(async (page, context) => {
      await submitSignIn(page, stack.adminEmail, stack.adminPassword);
      await page.waitForURL((url) => url.pathname === '/models');

      const cookie = await sessionCookie(context);
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(cookie?.value).not.toBe('');

      await page.getByText(stack.adminEmail, { exact: true }).waitFor({ state: 'visible' });
      const project = page.getByLabel('Project');
      expect(await project.locator('option:checked').textContent()).toBe('Demo: fraud detection');

      const model = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'fraud-classifier', exact: true }) });
      await model.waitFor({ state: 'visible' });
      const answer = await stack.graphql<{ registeredModel: { productionVersion: { version: number } } }>(
        '{ registeredModel(project: "demo", name: "fraud-classifier") { productionVersion { version } } }',
        {},
        await stack.adminToken(),
      );
      const inProduction = answer.data?.registeredModel.productionVersion.version;
      expect((await model.getByRole('cell').first().textContent())?.trim()).toBe(`version ${inProduction}`);
      await screenshot(page, 'models-admin');
    });
  });

  it('signs out back to the sign-in page and forgets the session', async () => {
    await stack.withPage(async (page, context) => {
      await submitSignIn(page, stack.adminEmail, stack.adminPassword);
      await page.waitForURL((url) => url.pathname === '/models');
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
