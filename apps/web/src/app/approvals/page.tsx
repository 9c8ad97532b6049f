import type { Metadata } from 'next';
import Link from 'next/link';
import { graphql } from '@/gql';
import type { ApprovalsPageQuery } from '@/gql/graphql';
import { queryPage } from '@/lib/apollo/query';
import { STAGE_LABELS } from '@/lib/format';
import { currentProject, hasRole, requireViewer } from '@/lib/viewer';
import { RequestCard } from '@/modules/governance/request-card';
import { DateTime } from '@/modules/ui/date-time';
import { LoadError } from '@/modules/ui/load-error';
import { NoProject } from '@/modules/ui/no-project';

export const metadata: Metadata = { title: 'Approvals · Pedigree' };

const PAGE_SIZE = 20;
/** Enough recent requests to show the last few decisions beside the pending ones. */
const RECENT_SCAN = 20;
const RECENT_SHOWN = 8;

type RecentRequest = ApprovalsPageQuery['recent']['edges'][number]['node'];

const APPROVALS_PAGE = graphql(`
  query ApprovalsPage($project: String!, $first: Int!, $after: String, $recentFirst: Int!) {
    pending: transitionRequests(project: $project, status: PENDING, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...PendingRequestFields
        }
      }
    }
    recent: transitionRequests(project: $project, first: $recentFirst) {
      edges {
        node {
          id
          status
          toStage
          resolvedAt
          modelVersion {
            id
            version
            model {
              id
              name
            }
          }
        }
      }
    }
  }
`);

interface Props {
  searchParams: Promise<{ project?: string; after?: string }>;
}

export default async function ApprovalsPage({ searchParams }: Props) {
  const { project: requested, after } = await searchParams;
  const project = await currentProject(requested);
  if (!project) return <NoProject title="Approvals" />;
  const { me } = await requireViewer();
  const isOwner = hasRole(project.viewerRole, 'OWNER');

  const { data, error } = await queryPage(APPROVALS_PAGE, {
    project: project.key,
    first: PAGE_SIZE,
    after: after ?? null,
    recentFirst: RECENT_SCAN,
  });
  if (error) return <LoadError title="Approvals" error={error} />;
  const { pending } = data;
  const decided = data.recent.edges
    .map(({ node }) => node)
    .filter((request) => request.status !== 'PENDING')
    .slice(0, RECENT_SHOWN);

  return (
    <>
      <h1>Approvals</h1>
      <p className="muted">
        {pending.totalCount === 1 ? '1 request waits' : `${pending.totalCount} requests wait`} for review in{' '}
        {project.name}.
      </p>
      {pending.edges.length === 0 ? (
        <p className="empty">No pending requests. Requests appear here when someone asks to move a model version.</p>
      ) : (
        <div className="stack" aria-label="Pending requests">
          {pending.edges.map(({ node }) => (
            <RequestCard key={node.id} request={node} canCancel={isOwner || node.requestedBy?.id === me.id} />
          ))}
        </div>
      )}
      <nav aria-label="Pages of pending requests" className="pager">
        {after ? <Link href="/approvals">Newest requests</Link> : null}
        {pending.pageInfo.hasNextPage && pending.pageInfo.endCursor ? (
          <Link href={`/approvals?after=${encodeURIComponent(pending.pageInfo.endCursor)}`}>Older requests</Link>
        ) : null}
      </nav>

      <section className="card" aria-labelledby="decided-heading">
        <h2 id="decided-heading">Recently decided</h2>
        <RecentDecisions requests={decided} />
      </section>
    </>
  );
}

const OUTCOMES: Record<Exclude<RecentRequest['status'], 'PENDING'>, string> = {
  APPLIED: 'Applied',
  REJECTED: 'Rejected',
  CANCELLED: 'Cancelled',
};

function RecentDecisions({ requests }: { requests: RecentRequest[] }) {
  if (requests.length === 0) return <p className="empty">No decisions yet.</p>;
  return (
    <ul className="plain-list">
      {requests.map((request) => {
        const { model, version } = request.modelVersion;
        return (
          <li key={request.id}>
            <span className={`outcome outcome-${request.status.toLowerCase()}`}>
              {OUTCOMES[request.status as keyof typeof OUTCOMES]}
            </span>{' '}
            <Link href={`/models/${encodeURIComponent(model.name)}/versions/${version}`}>
              {model.name} version {version}
            </Link>{' '}
            to {STAGE_LABELS[request.toStage]}
            {request.resolvedAt ? (
              <span className="muted">
                {' '}
                · <DateTime value={request.resolvedAt} />
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
