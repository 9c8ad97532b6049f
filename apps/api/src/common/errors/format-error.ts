import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { logger } from '../../logger';
import { currentRequestId } from '../request-context';
import { AppError, AppErrorCode } from './app-error';
import { databaseUnavailableAnswer, isDatabaseUnavailable, translatePostgresError } from './postgres-errors';

/** Codes that GraphQL itself assigns before any resolver runs; they carry no internals. */
const PASS_THROUGH_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_RESOLUTION_FAILURE']);

function assertNever(code: never): never {
  throw new Error(`unmapped error code ${String(code)}`);
}

/** Every AppErrorCode maps to itself; the `never` check makes a new code fail to compile until it is mapped. */
function extensionCode(code: AppErrorCode): AppErrorCode {
  switch (code) {
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
    case 'BAD_USER_INPUT':
    case 'CONFLICT':
    case 'PRECONDITION_FAILED':
    case 'RATE_LIMITED':
    case 'INTERNAL_SERVER_ERROR':
      return code;
    default:
      return assertNever(code);
  }
}

function validationMessages(error: ArgumentValidationError): { message: string; fields: Record<string, string[]> } {
  const fields: Record<string, string[]> = {};
  const walk = (errors: typeof error.extensions.validationErrors, prefix: string) => {
    for (const item of errors) {
      const field = prefix ? `${prefix}.${item.property}` : item.property;
      if (item.constraints) fields[field] = Object.values(item.constraints);
      if (item.children?.length) walk(item.children, field);
    }
  };
  walk(error.extensions.validationErrors, '');
  const message = Object.entries(fields)
    .map(([field, problems]) => `${field}: ${problems.join('; ')}`)
    .join('. ');
  return { message: `Invalid input. ${message}`, fields };
}

/**
 * Maps what a resolver threw to the error a client sees. Unknown errors are masked: the client gets
 * the request id, and the server log has the same id with the stack.
 */
export function formatError(formatted: GraphQLFormattedError, raw: unknown): GraphQLFormattedError {
  const unwrapped = unwrapResolverError(raw);
  // Errors raised before execution (request plugins) carry their cause as originalError.
  const original = unwrapped instanceof GraphQLError && unwrapped.originalError ? unwrapped.originalError : unwrapped;
  const base = { locations: formatted.locations, path: formatted.path };
  if (original instanceof ArgumentValidationError) {
    const { message, fields } = validationMessages(original);
    return { ...base, message, extensions: { code: AppErrorCode.BAD_USER_INPUT, fields } };
  }
  const appError = original instanceof AppError ? original : translatePostgresError(original);
  if (appError) {
    return { ...base, message: appError.message, extensions: { code: extensionCode(appError.code), ...appError.details } };
  }
  const code = formatted.extensions?.code;
  // Without a path the error came from parsing, validating or coercing the request, not from a resolver.
  if (typeof code === 'string' && PASS_THROUGH_CODES.has(code) && formatted.path === undefined) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...base, message: formatted.message, extensions: { ...extensions, code } };
  }
  const requestId = currentRequestId();
  if (isDatabaseUnavailable(raw)) {
    logger.warn({ err: original, requestId, path: formatted.path }, 'database unavailable');
    return { ...base, ...databaseUnavailableAnswer(requestId) };
  }
  logger.error({ err: original, requestId, path: formatted.path }, 'unexpected error');
  return {
    ...base,
    message: `Internal error. Quote request id ${String(requestId ?? 'unknown')} when you report it.`,
    extensions: { code: AppErrorCode.INTERNAL_SERVER_ERROR, requestId },
  };
}
