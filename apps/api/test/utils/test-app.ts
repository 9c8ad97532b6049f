import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { sqlStatementCount } from '../../src/common/database/sql-logger';
import { createDataSource } from '../../src/data-source';
import { UserService } from '../../src/modules/user/user.service';
import type { AuthSettings } from '../../src/schema';
import { type PedigreeServer, startServer } from '../../src/server';
import { createTestDatabase } from './test-database';

export const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' };
export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';

export interface GraphQLResult<T = Record<string, any>> {
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string; [key: string]: unknown } }>;
  /** SQL statements the server sent while answering. */
  statements: number;
  status: number;
}

export interface TestApp {
  url: string;
  dataSource: DataSource;
  /** POSTs a GraphQL operation over HTTP, as a client would. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GraphQLResult<T>>;
  adminToken: string;
  close(): Promise<void>;
}

/**
 * A real API on a free port (or `port`) over its own fresh, migrated database, with a first admin
 * signed in; `auth` adds settings such as single sign-on to the defaults.
 */
export async function startTestApp({ auth = {}, port = 0 }: { auth?: Partial<AuthSettings>; port?: number } = {}): Promise<TestApp> {
  // Every test user signs in from 127.0.0.1; the per-account limit still applies.
  process.env.PEDIGREE_SIGNIN_MAX_PER_ADDRESS ??= '1000000';
  const database = await createTestDatabase();
  const dataSource = createDataSource(database.url);
  await dataSource.initialize();
  const server: PedigreeServer = await startServer(dataSource, { secret: TEST_SECRET, sessionHours: 1, ...auth }, port);
  await new UserService(dataSource).ensureFirstAdmin(ADMIN.email, ADMIN.password);

  const gql: TestApp['gql'] = async (query, variables, token) => {
    const before = sqlStatementCount();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResult, 'statements' | 'status'>;
    return { ...body, statements: sqlStatementCount() - before, status: response.status } as GraphQLResult<any>;
  };
  const login = await gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: ADMIN.email, p: ADMIN.password });
  return {
    url: server.url,
    dataSource,
    gql,
    adminToken: login.data!.login.token,
    close: async () => {
      await server.stop();
      await dataSource.destroy();
      await database.drop();
    },
  };
}

/** The data of a result that must have succeeded; a failure shows the server's errors. */
export function ok<T>(result: GraphQLResult<T>): T {
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
  return result.data;
}
