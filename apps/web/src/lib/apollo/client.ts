import { HttpLink } from '@apollo/client';
import { ApolloClient, InMemoryCache, registerApolloClient } from '@apollo/client-integration-nextjs';
import { readSessionToken } from '../session';

const DEFAULT_API_URL = 'http://localhost:4000/graphql';

/** Read at call time, not build time, so one build can point at any API. */
export function apiUrl(): string {
  return process.env.PEDIGREE_API_URL || DEFAULT_API_URL;
}

/** The API's origin and base path, for its plain HTTP routes beside GraphQL (e.g. the audit export). */
export function apiBaseUrl(): string {
  return apiUrl().replace(/\/graphql\/?$/, '');
}

/** A fresh client; pass the session token to act as the signed-in user. */
export function makeApolloClient(token?: string): ApolloClient {
  return new ApolloClient({
    cache: new InMemoryCache(),
    link: new HttpLink({
      uri: apiUrl(),
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      // Every answer depends on who asks: never let Next's fetch cache share one.
      fetchOptions: { cache: 'no-store' },
    }),
  });
}

/** One client per request for server components, authenticated with the session cookie. */
export const { getClient } = registerApolloClient(async () => makeApolloClient(await readSessionToken()));
