import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cliEntry } from './paths';

/** The API the global setup started, without `/graphql`. */
export const apiUrl = () => {
  const url = process.env.PEDIGREE_TEST_API_URL;
  if (!url) throw new Error('PEDIGREE_TEST_API_URL is unset: run the tests through jest, whose global setup starts the API');
  return url;
};

export async function graphql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await fetch(`${apiUrl()}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL request failed: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

async function login(email: string, password: string): Promise<string> {
  return (await graphql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: email, p: password })).login.token;
}

let adminToken: Promise<string> | undefined;
export const admin = () => (adminToken ??= login(process.env.PEDIGREE_TEST_ADMIN_EMAIL as string, process.env.PEDIGREE_TEST_ADMIN_PASSWORD as string));

const unique = () => randomBytes(4).toString('hex');

/** A project the admin owns, and an API token of the admin capped to it, as a CI job would hold. */
export async function seedProject(role = 'OWNER'): Promise<{ key: string; token: string }> {
  const key = `sdk-${unique()}`;
  await graphql(`mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`, { input: { key, name: `SDK ${key}` } }, await admin());
  const token = (await graphql(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }`, { input: { name: 'sdk-test', project: key, role } }, await admin())).createApiToken.token;
  return { key, token };
}

/** A signed-in member of the project with a role. */
export async function seedMember(project: string, role: string): Promise<string> {
  const email = `member-${unique()}@example.com`;
  const password = 'member-password-1';
  await graphql(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, { input: { email, name: 'Member', password } }, await admin());
  await graphql(`mutation($input: AddProjectMemberInput!) { addProjectMember(input: $input) { role } }`, { input: { project, email, role } }, await admin());
  return login(email, password);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI, `node packages/sdk/dist/cli.js ARGS`, with PEDIGREE_URL and PEDIGREE_TOKEN set. */
export function cli(args: string[], options: { token?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliEntry, ...args],
      {
        cwd: options.cwd,
        // Short, so a log upload the API never answers costs the test seconds, not a minute.
        env: { ...process.env, PEDIGREE_URL: apiUrl(), PEDIGREE_TOKEN: options.token ?? '', PEDIGREE_UPLOAD_TIMEOUT_MS: '5000', ...options.env },
        maxBuffer: 32 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Parses the --json answer of a CLI run that must have succeeded. */
export function jsonOf<T = any>(result: CliResult): T {
  if (result.code !== 0) throw new Error(`the CLI exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
