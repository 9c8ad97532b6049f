import type { WebhookEvent } from '@/gql/graphql';

/** Every event a webhook can receive (the schema's WebhookEvent), in the order a request lives them. */
export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  TRANSITION_REQUESTED: 'Transition requested',
  TRANSITION_REVIEWED: 'Transition reviewed',
  TRANSITION_APPLIED: 'Transition applied',
  TRANSITION_REJECTED: 'Transition rejected',
  TRANSITION_CANCELLED: 'Transition cancelled',
  ALIAS_MOVED: 'Alias moved',
};
