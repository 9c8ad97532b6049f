import { CombinedGraphQLErrors, ServerError } from '@apollo/client';
import type { GraphQLFormattedError } from 'graphql';

export interface ApiError {
  /** `extensions.code` as the API sent it (see `AppErrorCode`), when there was one. */
  code?: string;
  /** `extensions.reason`, a finer cause some refusals carry (e.g. REAUTHENTICATION_REQUIRED). */
  reason?: string;
  message: string;
}

/**
 * The first GraphQL error the API answered with, or undefined when the request never got a
 * GraphQL answer (network failure, a proxy's HTML error page).
 */
export function apiErrorOf(error: unknown): ApiError | undefined {
  if (CombinedGraphQLErrors.is(error)) return fromFormatted(error.errors[0]);
  // A non-2xx answer sent as plain application/json still carries the GraphQL errors in its body.
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as { errors?: GraphQLFormattedError[] };
      return fromFormatted(body.errors?.[0]);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function fromFormatted(error: GraphQLFormattedError | undefined): ApiError | undefined {
  if (!error) return undefined;
  const { code, reason } = error.extensions ?? {};
  return { code: typeof code === 'string' ? code : undefined, reason: typeof reason === 'string' ? reason : undefined, message: error.message };
}
