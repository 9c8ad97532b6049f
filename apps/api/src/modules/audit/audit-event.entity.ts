import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { JSONScalar } from '../../common/scalars';

/**
 * One recorded change, a link of its project's hash chain. Rows are append-only: a trigger rejects
 * UPDATE, DELETE and TRUNCATE.
 */
@Entity({ name: 'audit_event' })
@ObjectType('AuditEvent', { description: 'One recorded change: who did what to which entity, when, and under which request.' })
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Field(() => Int, { description: 'Position in the project\'s chain: 1, 2, 3… without gaps.' })
  @Column({ type: 'bigint', transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  seq!: number;

  @Column({ type: 'uuid', nullable: true })
  projectId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  actorUserId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The API token the actor used, if any.' })
  @Column({ type: 'uuid', nullable: true })
  actorTokenId!: string | null;

  @Field(() => String, { nullable: true, description: 'The role the actor held in the project at that moment (or ADMIN).' })
  @Column({ type: 'text', nullable: true })
  actorRole!: string | null;

  @Field({ description: 'What happened, e.g. "model_version.registered" or "transition.approved".' })
  @Column({ type: 'text' })
  action!: string;

  @Field({ description: 'The kind of entity changed, e.g. "ModelVersion".' })
  @Column({ type: 'text' })
  entityType!: string;

  @Field(() => String, { nullable: true, description: 'The id of the entity changed.' })
  @Column({ type: 'text', nullable: true })
  entityId!: string | null;

  @Field(() => JSONScalar, { nullable: true, description: 'The state before the change, where it had one.' })
  @Column({ type: 'jsonb', nullable: true })
  before!: Record<string, unknown> | null;

  @Field(() => JSONScalar, { nullable: true, description: 'The state after the change.' })
  @Column({ type: 'jsonb', nullable: true })
  after!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: "The actor's comment." })
  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Field(() => String, { nullable: true, description: 'The id of the HTTP request, as in the server log.' })
  @Column({ type: 'text', nullable: true })
  requestId!: string | null;

  @Field(() => String, { nullable: true, description: "The client's network address." })
  @Column({ type: 'text', nullable: true })
  clientAddress!: string | null;

  @Field(() => String, { nullable: true, description: "The client's user agent." })
  @Column({ type: 'text', nullable: true })
  userAgent!: string | null;

  @Field({ description: 'When it happened, by the server clock (UTC).' })
  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Field({ description: 'The hash of the previous event of the chain (64 zeros for the first).' })
  @Column({ type: 'text' })
  prevHash!: string;

  @Field({ description: 'sha256(prevHash || canonical JSON of the event), hex.' })
  @Column({ type: 'text' })
  hash!: string;
}
