import { AppErrorCode } from '@pedigree/shared';

export { AppErrorCode };

/** The one error type services throw; `code` becomes the GraphQL error's `extensions.code`. */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) =>
  new AppError(AppErrorCode.NOT_FOUND, `${what} was not found, or you have no access to it`);

export const badInput = (message: string, details?: Record<string, unknown>) =>
  new AppError(AppErrorCode.BAD_USER_INPUT, message, details);

export const conflict = (message: string, details?: Record<string, unknown>) =>
  new AppError(AppErrorCode.CONFLICT, message, details);
