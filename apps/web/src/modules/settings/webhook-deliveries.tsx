import { graphql } from '@/gql';
import { queryPage } from '@/lib/apollo/query';
import { DateTime } from '@/modules/ui/date-time';
import { WEBHOOK_EVENT_LABELS } from './webhook-events';

const LOG_SIZE = 10;

const WEBHOOK_DELIVERIES = graphql(`
  query WebhookDeliveries($webhookId: ID!, $first: Int!) {
    webhookDeliveries(webhookId: $webhookId, first: $first) {
      totalCount
      edges {
        node {
          id
          attempt
          attemptedAt
          eventType
          status
          responseStatus
          durationMs
          error
        }
      }
    }
  }
`);

/** The latest attempts to deliver to one webhook, newest first. */
export async function WebhookDeliveries({ webhookId }: { webhookId: string }) {
  const { data, error } = await queryPage(WEBHOOK_DELIVERIES, { webhookId, first: LOG_SIZE });
  if (error) {
    return (
      <p role="alert" className="alert">
        {error.message}
      </p>
    );
  }
  const { edges, totalCount } = data.webhookDeliveries;
  if (edges.length === 0) return <p className="empty small">No deliveries yet.</p>;
  return (
    <>
      <table className="compact">
        <caption className="visually-hidden">Delivery attempts, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Attempt</th>
            <th scope="col">Result</th>
            <th scope="col" className="numeric">
              Time
            </th>
          </tr>
        </thead>
        <tbody>
          {edges.map(({ node: attempt }) => (
            <tr key={attempt.id}>
              <td className="nowrap">
                <DateTime value={attempt.attemptedAt} />
              </td>
              <td>{WEBHOOK_EVENT_LABELS[attempt.eventType]}</td>
              <td className="numeric">{attempt.attempt}</td>
              <td>
                <span className={`outcome outcome-${attempt.status.toLowerCase()}`}>{attempt.status.toLowerCase()}</span>
                {attempt.responseStatus ? ` · HTTP ${attempt.responseStatus}` : ''}
                {attempt.error ? <div className="small muted">{attempt.error}</div> : null}
              </td>
              <td className="numeric">{attempt.durationMs} ms</td>
            </tr>
          ))}
        </tbody>
      </table>
      {totalCount > edges.length ? (
        <p className="small muted">
          Showing the latest {edges.length} of {totalCount} attempts.
        </p>
      ) : null}
    </>
  );
}
