import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum WebhookEvent {
  TRANSITION_REQUESTED = 'TRANSITION_REQUESTED',
  TRANSITION_REVIEWED = 'TRANSITION_REVIEWED',
  TRANSITION_APPLIED = 'TRANSITION_APPLIED',
  TRANSITION_REJECTED = 'TRANSITION_REJECTED',
  TRANSITION_CANCELLED = 'TRANSITION_CANCELLED',
  ALIAS_MOVED = 'ALIAS_MOVED',
}

registerEnumType(WebhookEvent, {
  name: 'WebhookEvent',
  description: 'Governance events a webhook can subscribe to.',
  valuesConfig: {
    TRANSITION_REQUESTED: { description: 'A stage transition was requested.' },
    TRANSITION_REVIEWED: { description: 'A reviewer approved or rejected a transition request.' },
    TRANSITION_APPLIED: { description: 'A transition request was applied: the version changed stage.' },
    TRANSITION_REJECTED: { description: 'A transition request was rejected.' },
    TRANSITION_CANCELLED: { description: 'A transition request was cancelled.' },
    ALIAS_MOVED: { description: 'A model alias was set, moved or removed.' },
  },
});

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where the delivery of one event to one webhook stands.',
  valuesConfig: {
    PENDING: { description: 'Queued, or waiting for its next attempt.' },
    DELIVERED: { description: 'The receiver answered 2xx.' },
    FAILED: { description: 'Every attempt failed; no more attempts are made. `redeliverWebhook` queues it again.' },
  },
});

@Entity({ name: 'webhook' })
@ObjectType('Webhook', { description: "An HTTP(S) endpoint that receives a project's governance events, signed with its secret." })
export class Webhook {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  projectId!: string;

  @Field({ description: 'Where events are POSTed.' })
  @Column({ type: 'text' })
  url!: string;

  @Field(() => [WebhookEvent], { description: 'The events it receives.' })
  @Column({ type: 'text', array: true })
  events!: WebhookEvent[];

  /** Kept in plain text: signing needs the secret itself, so it cannot be hashed. Never exposed. */
  @Column({ type: 'text' })
  secret!: string;

  @Field(() => String, { nullable: true, description: 'What the webhook is for.' })
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Field({ description: 'False while paused: no events are queued for it, and queued ones wait.' })
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Field({ description: 'When the webhook was created.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** The outbox: one event to send to one webhook, written in the transaction of the change it reports. */
@Entity({ name: 'webhook_delivery' })
@ObjectType('WebhookDelivery', { description: 'The delivery of one event to one webhook, made of one or more attempts.' })
export class WebhookDelivery {
  @Field(() => ID, { description: 'Unique id, sent as the `x-pedigree-delivery` header on every attempt.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  webhookId!: string;

  @Column({ type: 'uuid' })
  projectId!: string;

  @Field(() => ID, { description: 'The event id, the `id` of the body: the same on retries and redeliveries, so receivers can drop duplicates.' })
  @Column({ type: 'uuid' })
  eventId!: string;

  @Field(() => WebhookEvent, { description: 'The event type.' })
  @Column({ type: 'text' })
  eventType!: WebhookEvent;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Field({ description: 'When the event happened.' })
  @Column({ type: 'timestamptz' })
  eventCreatedAt!: Date;

  @Field(() => WebhookDeliveryStatus, { description: 'PENDING, DELIVERED or FAILED.' })
  @Column({ type: 'text', default: WebhookDeliveryStatus.PENDING })
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far.' })
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due; null once DELIVERED or FAILED.' })
  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Field(() => ID, { nullable: true, description: 'The delivery this one repeats, when queued by `redeliverWebhook`.' })
  @Column({ type: 'uuid', nullable: true })
  redeliveryOf!: string | null;

  @Field({ description: 'When the delivery was queued.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** The delivery log: one row per HTTP attempt, written by the worker, never changed. */
@Entity({ name: 'webhook_delivery_attempt' })
@ObjectType('WebhookDeliveryAttempt', { description: 'One HTTP attempt to deliver an event to a webhook, as logged.' })
export class WebhookDeliveryAttempt {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID, { description: 'The delivery this attempt belongs to; pass it to `redeliverWebhook`.' })
  @Column({ type: 'uuid' })
  deliveryId!: string;

  @Column({ type: 'uuid' })
  webhookId!: string;

  @Field(() => ID, { description: 'The event id, the `id` of the body.' })
  @Column({ type: 'uuid' })
  eventId!: string;

  @Field(() => WebhookEvent, { description: 'The event type.' })
  @Column({ type: 'text' })
  eventType!: WebhookEvent;

  @Field(() => Int, { description: 'Attempt number within its delivery: 1, 2, 3…' })
  @Column({ type: 'integer' })
  attempt!: number;

  @Field(() => WebhookDeliveryStatus, { description: 'The delivery status this attempt left: DELIVERED, PENDING (a retry is due) or FAILED (no more retries).' })
  @Column({ type: 'text' })
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null when no response came (refused, timed out, unreachable)." })
  @Column({ type: 'integer', nullable: true })
  responseStatus!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the attempt failed; null when it succeeded.' })
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Field(() => Int, { description: 'How long the attempt took, in milliseconds.' })
  @Column({ type: 'integer' })
  durationMs!: number;

  @Field(() => Date, { nullable: true, description: 'When the retry after this attempt is due; null when none follows.' })
  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Field({ description: 'When the attempt started.' })
  @Column({ type: 'timestamptz' })
  attemptedAt!: Date;
}
