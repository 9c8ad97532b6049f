import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { graphql } from '@/gql';
import { queryPage } from '@/lib/apollo/query';
import { currentProject } from '@/lib/viewer';
import { AuditEventTable } from '@/modules/audit/audit-event-table';
import { AuditFilterForm } from '@/modules/audit/audit-filter-form';
import { ChainStatus } from '@/modules/audit/chain-status';
import { auditQuery, readAuditFilters, utcInstant } from '@/modules/audit/filters';
import { LoadError } from '@/modules/ui/load-error';
import { NoProject } from '@/modules/ui/no-project';

export const metadata: Metadata = { title: 'Audit · Pedigree' };

const PAGE_SIZE = 50;

const AUDIT_PAGE = graphql(`
  query AuditPage(
    $project: String!
    $first: Int!
    $after: String
    $action: String
    $actorId: ID
    $entityId: ID
    $since: DateTime
    $until: DateTime
  ) {
    project(key: $project) {
      id
      members {
        user {
          id
          name
          email
        }
      }
    }
    auditEvents(
      project: $project
      first: $first
      after: $after
      action: $action
      actorId: $actorId
      entityId: $entityId
      since: $since
      until: $until
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...AuditEventFields
        }
      }
    }
  }
`);

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function AuditPage({ searchParams }: Props) {
  const params = await searchParams;
  const project = await currentProject(params.project);
  if (!project) return <NoProject title="Audit trail" />;

  const filters = readAuditFilters(params);
  const since = utcInstant(filters.since);
  const until = utcInstant(filters.until);
  if (since === null || until === null) {
    return <LoadError title="Audit trail" error={{ message: 'Enter the times as dates and times, e.g. 2026-11-01 09:00.' }} />;
  }
  const after = typeof params.after === 'string' ? params.after : null;
  const { data, error } = await queryPage(AUDIT_PAGE, {
    project: project.key,
    first: PAGE_SIZE,
    after,
    action: filters.action ?? null,
    actorId: filters.actor ?? null,
    entityId: filters.entity ?? null,
    since: since ?? null,
    until: until ?? null,
  });
  if (error) return <LoadError title="Audit trail" error={error} />;
  const { auditEvents } = data;
  const members = data.project?.members.map(({ user }) => user) ?? [];
  const filtered = Object.keys(filters).length > 0;

  return (
    <>
      <header className="page-header">
        <h1>Audit trail</h1>
        {/* A plain link: the route handler streams the file from the API with the session's token. */}
        <a className="button" href={`/audit/export${auditQuery(filters, { project: project.key })}`} download>
          Download CSV
        </a>
      </header>
      <p className="muted">Every change to {project.name}, newest first, on a tamper-evident hash chain.</p>

      <Suspense fallback={<p role="status">Verifying the chain…</p>}>
        <ChainStatus projectKey={project.key} />
      </Suspense>

      <AuditFilterForm filters={filters} members={members} />

      <p className="muted small" aria-live="polite">
        {auditEvents.totalCount === 1 ? '1 event' : `${auditEvents.totalCount} events`}
        {filtered ? ` ${auditEvents.totalCount === 1 ? 'matches' : 'match'} the filters` : ''}.
      </p>
      {auditEvents.edges.length === 0 ? (
        <p className="empty">{filtered ? 'No events match these filters.' : 'No events recorded yet.'}</p>
      ) : (
        <AuditEventTable events={auditEvents.edges.map(({ node }) => node)} filters={filters} />
      )}
      <nav aria-label="Pages of events" className="pager">
        {after ? <Link href={`/audit${auditQuery(filters)}`}>Newest events</Link> : null}
        {auditEvents.pageInfo.hasNextPage && auditEvents.pageInfo.endCursor ? (
          <Link href={`/audit${auditQuery(filters, { after: auditEvents.pageInfo.endCursor })}`}>Older events</Link>
        ) : null}
      </nav>
    </>
  );
}
