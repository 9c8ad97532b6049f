import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { DataSource } from 'typeorm';
import { AppError, AppErrorCode } from '../../common/errors/app-error';
import type { Context } from '../../context';
import { auditedTransaction, recordAudit } from './audit.service';

/** Failed sign-ins are recorded by `login` itself, as `auth.login_failed`. */
const SELF_AUDITED = new Set(['login']);

/**
 * Records every write refused for lack of rights (UNAUTHENTICATED or FORBIDDEN) as `access.denied`.
 * The refused mutation's own transaction rolled back, so the event is written in one of its own, on
 * the chain of the project named in the refusal, else on the instance chain.
 */
export function deniedWritesAuditPlugin(dataSource: DataSource): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ operation, errors, contextValue }) {
          if (operation?.operation !== 'mutation') return;
          const denials = errors.flatMap((error) => {
            const cause = unwrapResolverError(error);
            const field = String(error.path?.[0] ?? '');
            const denied = cause instanceof AppError && (cause.code === AppErrorCode.FORBIDDEN || cause.code === AppErrorCode.UNAUTHENTICATED);
            return denied && !SELF_AUDITED.has(field) ? [{ field, cause }] : [];
          });
          if (denials.length === 0) return;
          await auditedTransaction(dataSource, async (manager) => {
            for (const { field, cause } of denials) {
              const projectId = typeof cause.details?.projectId === 'string' ? cause.details.projectId : null;
              recordAudit(manager, contextValue.viewer, {
                action: 'access.denied',
                entityType: 'Mutation',
                entityId: field,
                projectId,
                after: { mutation: field, code: cause.code, reason: cause.message },
              });
            }
          });
        },
      };
    },
  };
}
