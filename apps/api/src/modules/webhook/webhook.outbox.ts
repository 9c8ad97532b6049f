import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { WebhookEvent } from './webhook.entity';

export { WebhookEvent } from './webhook.entity';

export interface OutboxEvent {
  projectId: string;
  type: WebhookEvent;
  /** The event's own data, sent as `payload` in the body; plain JSON. */
  payload: Record<string, unknown>;
}

/**
 * Queues an event for every active webhook of the project subscribed to its type, through the
 * caller's transaction: a rolled-back change sends nothing, and a committed one is never lost. The
 * delivery worker sends it later, outside that transaction, so a slow receiver never holds it up.
 */
export async function enqueueWebhookEvent(manager: EntityManager, event: OutboxEvent): Promise<void> {
  await manager.query(
    `INSERT INTO webhook_delivery (webhook_id, project_id, event_id, event_type, payload, event_created_at, next_attempt_at)
     SELECT id, project_id, $2::uuid, $3::text, $4::jsonb, clock_timestamp(), now()
       FROM webhook
      WHERE project_id = $1::uuid AND active AND $3::text = ANY (events)`,
    [event.projectId, randomUUID(), event.type, JSON.stringify(event.payload)],
  );
}
