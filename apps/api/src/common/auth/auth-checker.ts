import type { AuthCheckerFn } from 'type-graphql';
import type { Context } from '../../context';
import { AppError, AppErrorCode } from '../errors/app-error';
import type { Access } from './access';

/**
 * The coarse check on every guarded field: the request is signed in, and ADMIN fields need an
 * instance admin. The project role a field declares is enforced by its service, which is where the
 * project becomes known (from a key or an entity id) and where it can be answered in SQL.
 */
export const authChecker: AuthCheckerFn<Context, Access> = ({ context }, access) => {
  if (!context.viewer) {
    throw new AppError(AppErrorCode.UNAUTHENTICATED, context.authFailure ?? 'Sign in first: send `Authorization: Bearer <token>` from `login` or an API token.');
  }
  if (access.includes('ADMIN') && !context.viewer.isAdmin) {
    throw new AppError(AppErrorCode.FORBIDDEN, 'Only an instance admin can do this, with a session or an uncapped API token.');
  }
  return true;
};
