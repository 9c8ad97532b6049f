import Link from 'next/link';
import type { AuditFilters } from './filters';

interface Member {
  id: string;
  name: string;
  email: string;
}

/** A GET form: a filtered view is a URL that can be shared, and filtering needs no client JavaScript. */
export function AuditFilterForm({ filters, members }: { filters: AuditFilters; members: Member[] }) {
  return (
    <form method="get" action="/audit" className="filter-form" aria-label="Filter events">
      <div className="field">
        <label htmlFor="audit-action">Action</label>
        <input id="audit-action" name="action" defaultValue={filters.action} placeholder="transition.approved" />
      </div>
      <div className="field">
        <label htmlFor="audit-actor">Actor</label>
        <select id="audit-actor" name="actor" defaultValue={filters.actor ?? ''}>
          <option value="">Anyone</option>
          {filters.actor && !members.some((member) => member.id === filters.actor) ? (
            <option value={filters.actor}>{filters.actor}</option>
          ) : null}
          {members.map((member) => (
            <option key={member.id} value={member.id}>
              {member.name} ({member.email})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-entity">Entity id</label>
        <input id="audit-entity" name="entity" defaultValue={filters.entity} placeholder="a model version, run… id" />
      </div>
      <div className="field">
        <label htmlFor="audit-since">From (UTC)</label>
        <input id="audit-since" name="since" type="datetime-local" defaultValue={filters.since} />
      </div>
      <div className="field">
        <label htmlFor="audit-until">Before (UTC)</label>
        <input id="audit-until" name="until" type="datetime-local" defaultValue={filters.until} />
      </div>
      <div className="button-row">
        <button type="submit" className="button button-primary">
          Filter
        </button>
        <Link href="/audit" className="button">
          Clear
        </Link>
      </div>
    </form>
  );
}
