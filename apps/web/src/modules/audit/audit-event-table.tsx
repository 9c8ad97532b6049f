import type { ResultOf } from '@graphql-typed-document-node/core';
import Link from 'next/link';
import { graphql } from '@/gql';
import { shortHash } from '@/lib/format';
import { DateTime } from '@/modules/ui/date-time';
import { auditQuery, type AuditFilters } from './filters';

const AUDIT_EVENT_FIELDS = graphql(`
  fragment AuditEventFields on AuditEvent {
    seq
    occurredAt
    action
    entityType
    entityId
    actorRole
    actorTokenId
    comment
    before
    after
    requestId
    hash
    actor {
      id
      name
      email
    }
  }
`);

export type AuditEventRow = ResultOf<typeof AUDIT_EVENT_FIELDS>;

/** Action, actor and entity cells link to the same list filtered by them: the quickest way to follow a trail. */
export function AuditEventTable({ events, filters }: { events: AuditEventRow[]; filters: AuditFilters }) {
  const filterBy = (patch: AuditFilters) => `/audit${auditQuery({ ...filters, ...patch })}`;
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">Audit events, newest first</caption>
        <thead>
          <tr>
            <th scope="col" className="numeric">
              #
            </th>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Actor</th>
            <th scope="col">Entity</th>
            <th scope="col">Comment and details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.seq}>
              <td className="numeric">{event.seq}</td>
              <td className="nowrap small">
                <DateTime value={event.occurredAt} />
              </td>
              <td>
                <Link href={filterBy({ action: event.action })} className="action-name">
                  {event.action}
                </Link>
              </td>
              <td>
                {event.actor ? (
                  <Link href={filterBy({ actor: event.actor.id })} title={event.actor.email}>
                    {event.actor.name}
                  </Link>
                ) : (
                  <span className="muted">system</span>
                )}
                {event.actorRole ? <div className="small muted">{event.actorRole.toLowerCase()}</div> : null}
                {event.actorTokenId ? <div className="small muted">via API token</div> : null}
              </td>
              <td>
                {event.entityType}
                {event.entityId ? (
                  <div className="small">
                    <Link href={filterBy({ entity: event.entityId })} title={event.entityId}>
                      <code>{shortHash(event.entityId, 8)}</code>
                    </Link>
                  </div>
                ) : null}
              </td>
              <td>
                {event.comment ? <q>{event.comment}</q> : null}
                <details>
                  <summary className="small">Details</summary>
                  <EventDetails event={event} />
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EventDetails({ event }: { event: AuditEventRow }) {
  return (
    <dl className="facts small">
      {event.before != null ? (
        <>
          <dt>Before</dt>
          <dd>
            <pre className="code-block">{JSON.stringify(event.before, null, 2)}</pre>
          </dd>
        </>
      ) : null}
      {event.after != null ? (
        <>
          <dt>After</dt>
          <dd>
            <pre className="code-block">{JSON.stringify(event.after, null, 2)}</pre>
          </dd>
        </>
      ) : null}
      {event.requestId ? (
        <>
          <dt>Request</dt>
          <dd>
            <code>{event.requestId}</code>
          </dd>
        </>
      ) : null}
      <dt>Hash</dt>
      <dd>
        <code>{event.hash}</code>
      </dd>
    </dl>
  );
}
