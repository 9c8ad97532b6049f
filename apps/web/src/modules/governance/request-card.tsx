import type { ResultOf } from '@graphql-typed-document-node/core';
import Link from 'next/link';
import { graphql } from '@/gql';
import { ActionButton } from '@/modules/ui/action-button';
import { DateTime } from '@/modules/ui/date-time';
import { StageBadge } from '@/modules/ui/stage-badge';
import { cancelRequest } from './actions';
import { GateList } from './gate-list';
import { MetricsComparison } from './metrics-comparison';
import { ReviewForm } from './review-form';

const PENDING_REQUEST_FIELDS = graphql(`
  fragment PendingRequestFields on TransitionRequest {
    id
    fromStage
    toStage
    comment
    createdAt
    missing
    viewerCannotReviewBecause
    requestedBy {
      id
      name
      email
    }
    gates {
      name
      passed
      actual
    }
    approvals {
      id
      comment
      reviewer {
        id
        name
      }
    }
    modelVersion {
      id
      version
      sourceRun {
        id
        metrics {
          key
          value
        }
      }
      model {
        id
        name
        productionVersion {
          id
          version
          sourceRun {
            id
            metrics {
              key
              value
            }
          }
        }
      }
    }
  }
`);

export type PendingRequest = ResultOf<typeof PENDING_REQUEST_FIELDS>;

/**
 * One request of the approvals inbox: what is asked, what it still lacks, and the reviewer's controls.
 * `canCancel`: the viewer is the requester or a project owner, as the API requires.
 */
export function RequestCard({ request, canCancel }: { request: PendingRequest; canCancel: boolean }) {
  const { modelVersion: version } = request;
  const model = version.model;
  const production = model.productionVersion;
  const headingId = `request-${request.id}`;
  const versionHref = `/models/${encodeURIComponent(model.name)}/versions/${version.version}`;

  return (
    <article className="card request-card" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>
          <Link href={versionHref}>
            {model.name} version {version.version}
          </Link>
          : <StageBadge stage={request.fromStage} /> <span aria-label="to">→</span> <StageBadge stage={request.toStage} />
        </h2>
        <span className="muted small">
          Requested by {request.requestedBy?.name ?? 'unknown'} on <DateTime value={request.createdAt} />
        </span>
      </header>
      {request.comment ? (
        <blockquote className="request-comment">{request.comment}</blockquote>
      ) : (
        <p className="muted small">No comment.</p>
      )}

      <div className="columns">
        <section aria-label="Gates">
          <h3>Gates</h3>
          <GateList gates={request.gates} />
          {request.missing.length > 0 ? (
            <p className="small">
              <strong>Still missing:</strong> {request.missing.join('; ')}
            </p>
          ) : null}
          {request.approvals.length > 0 ? (
            <p className="small">
              Approved so far by {request.approvals.map((approval) => approval.reviewer?.name ?? 'unknown').join(', ')}
            </p>
          ) : null}
        </section>
        <section aria-label="Metrics">
          <h3>Metrics</h3>
          <MetricsComparison
            candidate={{ label: `v${version.version}`, metrics: version.sourceRun.metrics }}
            current={
              production && production.id !== version.id
                ? { label: `Production v${production.version}`, metrics: production.sourceRun.metrics }
                : undefined
            }
          />
        </section>
      </div>

      <section aria-label="Review" className="review">
        {request.viewerCannotReviewBecause ? (
          <p className="cannot-review">
            You cannot review this request: <strong>{request.viewerCannotReviewBecause}</strong>.
          </p>
        ) : (
          <ReviewForm requestId={request.id} />
        )}
        {canCancel ? (
          <div className="cancel-request">
            <ActionButton
              action={cancelRequest}
              fields={{ requestId: request.id }}
              label="Cancel request"
              accessibleLabel={`Cancel the request for ${model.name} version ${version.version}`}
            />
          </div>
        ) : null}
      </section>
    </article>
  );
}
