import { Suspense } from 'react';
import { graphql } from '@/gql';
import { queryPage } from '@/lib/apollo/query';
import { ActionButton } from '@/modules/ui/action-button';
import { setWebhookActive } from './actions';
import { CreateWebhookForm } from './create-webhook-form';
import { WebhookDeliveries } from './webhook-deliveries';
import { WEBHOOK_EVENT_LABELS } from './webhook-events';

const WEBHOOKS = graphql(`
  query ProjectWebhooks($project: String!) {
    webhooks(project: $project) {
      id
      url
      description
      events
      active
      createdAt
    }
  }
`);

/** Owners only: the API refuses webhooks to anyone else, so others are told instead of queried. */
export async function WebhooksSection({ projectKey, canManage }: { projectKey: string; canManage: boolean }) {
  return (
    <section className="card" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhooks</h2>
      {canManage ? <WebhookList projectKey={projectKey} /> : <p className="muted">Only project owners see and manage webhooks.</p>}
    </section>
  );
}

async function WebhookList({ projectKey }: { projectKey: string }) {
  const { data, error } = await queryPage(WEBHOOKS, { project: projectKey });
  if (error) {
    return (
      <p role="alert" className="alert">
        {error.message}
      </p>
    );
  }
  return (
    <div className="stack">
      {data.webhooks.length === 0 ? <p className="empty">No webhooks yet.</p> : null}
      {data.webhooks.map((webhook) => (
        <article key={webhook.id} className="webhook" aria-label={`Webhook to ${webhook.url}`}>
          <header className="card-header">
            <div>
              <code>{webhook.url}</code>{' '}
              <span className={`outcome ${webhook.active ? 'outcome-delivered' : 'outcome-cancelled'}`}>
                {webhook.active ? 'active' : 'paused'}
              </span>
              {webhook.description ? <div className="small muted">{webhook.description}</div> : null}
            </div>
            <ActionButton
              action={setWebhookActive}
              fields={{ id: webhook.id, active: String(!webhook.active) }}
              label={webhook.active ? 'Pause' : 'Resume'}
              accessibleLabel={`${webhook.active ? 'Pause' : 'Resume'} the webhook to ${webhook.url}`}
            />
          </header>
          <p className="small">Events: {webhook.events.map((event) => WEBHOOK_EVENT_LABELS[event]).join(', ')}</p>
          <details>
            <summary>Delivery log</summary>
            <Suspense fallback={<p role="status">Loading deliveries…</p>}>
              <WebhookDeliveries webhookId={webhook.id} />
            </Suspense>
          </details>
        </article>
      ))}
      <CreateWebhookForm projectKey={projectKey} />
    </div>
  );
}
