import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { authenticate } from '../../common/auth/authenticate';
import { projectForRole } from '../../common/auth/project-access';
import { AppError, AppErrorCode } from '../../common/errors/app-error';
import type { AuditEvent } from './audit-event.entity';
import { type AuditFilters, filteredAuditEvents } from './audit.service';
import { sendHttpError } from '../../common/errors/http-error';

const EXPORT_BATCH = 5000;
const COLUMNS = ['seq', 'occurredAt', 'action', 'entityType', 'entityId', 'actorUserId', 'actorTokenId', 'actorRole', 'before', 'after', 'comment', 'requestId', 'clientAddress', 'userAgent', 'prevHash', 'hash'] as const;

function exported(event: AuditEvent) {
  return Object.fromEntries(COLUMNS.map((column) => [column, column === 'occurredAt' ? event.occurredAt.toISOString() : event[column]]));
}

function optionalDate(value: unknown, name: string): Date | null {
  if (value === undefined || value === '') return null;
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new AppError(AppErrorCode.BAD_USER_INPUT, `${name} must be an ISO 8601 date-time`);
  return date;
}

/**
 * `GET /api/audit/export?project=KEY&format=csv|jsonl` (and the filters of `auditEvents`): every
 * matching event, oldest first, streamed batch by batch so memory stays flat at any size. Same
 * access as the GraphQL read: a bearer token of a project VIEWER.
 */
export function auditExportHandler(dataSource: DataSource, secret: string) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const { viewer, failure } = await authenticate(dataSource, secret, req.header('authorization'));
      if (!viewer) throw new AppError(AppErrorCode.UNAUTHENTICATED, failure ?? 'Send Authorization: Bearer <token>.');
      const format = String(req.query.format ?? 'jsonl');
      if (format !== 'csv' && format !== 'jsonl') throw new AppError(AppErrorCode.BAD_USER_INPUT, 'format must be csv or jsonl');
      const project = await projectForRole(dataSource.manager, viewer, String(req.query.project ?? ''), 'VIEWER');
      const filters: AuditFilters = {
        action: req.query.action ? String(req.query.action) : null,
        actorId: req.query.actorId ? String(req.query.actorId) : null,
        entityId: req.query.entityId ? String(req.query.entityId) : null,
        since: optionalDate(req.query.since, 'since'),
        until: optionalDate(req.query.until, 'until'),
      };
      res.setHeader('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="audit-${project.key}.${format}"`);
      let lastSeq = 0;
      for (;;) {
        const batch = await filteredAuditEvents(dataSource, project.id, filters).andWhere('event.seq > :lastSeq', { lastSeq }).orderBy('event.seq', 'ASC').take(EXPORT_BATCH).getMany();
        const rows = batch.map(exported);
        const chunk =
          format === 'csv'
            ? stringify(rows, { header: lastSeq === 0, columns: [...COLUMNS], cast: { object: (value) => JSON.stringify(value) } })
            : rows.map((row) => `${JSON.stringify(row)}\n`).join('');
        if (chunk && !res.write(chunk)) await once(res, 'drain');
        if (batch.length < EXPORT_BATCH) break;
        lastSeq = batch[batch.length - 1].seq;
      }
      res.end();
    } catch (error) {
      sendHttpError(res, error, 'audit export');
    }
  };
}
