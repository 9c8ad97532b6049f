import type { ResultOf } from '@graphql-typed-document-node/core';
import { graphql } from '@/gql';
import { STAGE_LABELS } from '@/lib/format';
import { DateTime } from '@/modules/ui/date-time';
import { StageBadge } from '@/modules/ui/stage-badge';

const TRANSITION_FIELDS = graphql(`
  fragment TransitionFields on StageTransition {
    createdAt
    fromStage
    toStage
    reason
    changedBy {
      id
      name
      email
    }
    request {
      id
      comment
      createdAt
      requestedBy {
        id
        name
        email
      }
      reviews {
        id
        decision
        comment
        createdAt
        reviewer {
          id
          name
          email
        }
      }
    }
  }
`);

export type Transition = ResultOf<typeof TRANSITION_FIELDS>;

/** A stage change; `version` is set when the timeline mixes several versions of a model. */
export interface TimelineEntry {
  version?: number;
  transition: Transition;
}

/** Stage changes newest first, each with the request, its comment and every review behind it. */
export function TransitionTimeline({ entries, label }: { entries: TimelineEntry[]; label: string }) {
  if (entries.length === 0) return <p className="empty">No stage changes yet.</p>;
  const newestFirst = [...entries].sort((a, b) => b.transition.createdAt.localeCompare(a.transition.createdAt));
  return (
    <ol className="timeline" aria-label={label}>
      {newestFirst.map(({ version, transition }) => (
        <li key={`${version ?? ''}-${transition.createdAt}-${transition.toStage}`}>
          <TimelineItem version={version} transition={transition} />
        </li>
      ))}
    </ol>
  );
}

function TimelineItem({ version, transition }: TimelineEntry) {
  const { request } = transition;
  return (
    <article className="timeline-item">
      <header>
        {version !== undefined ? <strong>Version {version}: </strong> : null}
        <StageBadge stage={transition.fromStage} /> <span aria-label="to">→</span>{' '}
        <StageBadge stage={transition.toStage} />
      </header>
      <p className="small muted">
        <DateTime value={transition.createdAt} />
        {transition.changedBy ? ` · applied by ${transition.changedBy.name}` : ''}
      </p>
      {/* With a request, its comment and reviews say why; the reason would only name the request. */}
      {request ? null : <p className="small muted">{transition.reason}</p>}
      {request ? (
        <div className="small">
          <p>
            Requested by <strong>{request.requestedBy?.name ?? 'unknown'}</strong>:{' '}
            {request.comment ? <q>{request.comment}</q> : <span className="muted">no comment</span>}
          </p>
          {request.reviews.length > 0 ? (
            <ul className="reviews" aria-label={`Reviews of the move to ${STAGE_LABELS[transition.toStage]}`}>
              {request.reviews.map((review) => (
                <li key={review.id}>
                  <span className={review.decision === 'APPROVE' ? 'decision-approve' : 'decision-reject'}>
                    {review.decision === 'APPROVE' ? 'Approved' : 'Rejected'}
                  </span>{' '}
                  by <strong>{review.reviewer?.name ?? 'unknown'}</strong>
                  {review.comment ? (
                    <>
                      : <q>{review.comment}</q>
                    </>
                  ) : null}{' '}
                  <span className="muted">
                    (<DateTime value={review.createdAt} />)
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}
