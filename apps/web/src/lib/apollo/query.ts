import type { ApolloClient, OperationVariables, TypedDocumentNode } from '@apollo/client';
import { AppErrorCode } from '@pedigree/shared';
import { redirect } from 'next/navigation';
import { getClient } from './client';
import { apiErrorOf, type ApiError } from './errors';

export type PageData<TData> = { data: TData; error?: undefined } | { data?: undefined; error: ApiError };

/**
 * Runs a server component's query as the signed-in user. A lost session goes to /login; a GraphQL
 * error comes back as `error`, so the page can say what the API said in its own layout; anything
 * else (the API unreachable) throws to the nearest error.tsx.
 */
export async function queryPage<TData, TVariables extends OperationVariables>(
  query: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<PageData<TData>> {
  const client = await getClient();
  let result: PageData<TData>;
  try {
    // The cast: Apollo types `variables` with a conditional type that a generic TVariables cannot satisfy.
    const { data } = await client.query({ query, variables } as ApolloClient.QueryOptions<TData, TVariables>);
    if (data === undefined) throw new Error('The API answered without data');
    result = { data: data as TData };
  } catch (error) {
    const apiError = apiErrorOf(error);
    if (!apiError) throw error;
    result = { error: apiError };
  }
  // Outside the try: redirect() works by throwing.
  if (result.error?.code === AppErrorCode.UNAUTHENTICATED) redirect('/login');
  return result;
}

export type MutationResult<TData> = { data: TData; error?: undefined } | { data?: undefined; error: string; reason?: string };

/** Runs a server action's mutation; a refusal comes back as the API's own message, for role="alert". */
export async function mutate<TData, TVariables extends OperationVariables>(
  mutation: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<MutationResult<TData>> {
  const client = await getClient();
  try {
    const { data } = await client.mutate({ mutation, variables } as ApolloClient.MutateOptions<TData, TVariables>);
    if (!data) return { error: 'The API answered without data.' };
    return { data: data as TData };
  } catch (error) {
    const apiError = apiErrorOf(error);
    if (!apiError) console.error('Mutation failed', error);
    return { error: apiError?.message || 'Could not reach the Pedigree API. Try again in a moment.', reason: apiError?.reason };
  }
}
