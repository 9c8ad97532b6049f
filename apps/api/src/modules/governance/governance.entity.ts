import { IsIn, IsNumber, Length } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Stage } from '../model/model.entity';

export enum TransitionStatus {
  PENDING = 'PENDING',
  APPLIED = 'APPLIED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
}

export enum ReviewDecision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
}

export enum GateOp {
  GT = 'GT',
  GTE = 'GTE',
  LT = 'LT',
  LTE = 'LTE',
}

registerEnumType(TransitionStatus, {
  name: 'TransitionStatus',
  description: 'PENDING until approvals and gates are met (then APPLIED at once), or REJECTED by a reviewer, or CANCELLED.',
});
registerEnumType(ReviewDecision, { name: 'ReviewDecision', description: "A reviewer's decision." });
registerEnumType(GateOp, { name: 'GateOp', description: 'Comparison of a metric gate: greater than, at least, less than, at most.' });

@ObjectType('MetricGate', { description: "A threshold the source run's latest value of a metric must meet." })
@InputType('MetricGateInput', { description: "A threshold the source run's latest value of a metric must meet." })
export class MetricGate {
  @Field({ description: 'Metric key, e.g. "val_auc".' })
  @Length(1, 250, { message: 'metric must be 1 to 250 characters' })
  metric!: string;

  @Field(() => GateOp, { description: 'How the value compares with the threshold.' })
  @IsIn(Object.values(GateOp))
  op!: GateOp;

  @Field(() => Float, { description: 'The threshold.' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'threshold must be a finite number' })
  threshold!: number;
}

@ObjectType('GateResult', { description: 'One condition of a promotion, as last evaluated.' })
export class GateResult {
  @Field({ description: 'What was checked, e.g. "val_auc >= 0.9", "approvals", "complete lineage".' })
  name!: string;

  @Field({ description: 'Whether it is met.' })
  passed!: boolean;

  @Field(() => String, { nullable: true, description: 'The value found, e.g. "0.93" or "1 of 2".' })
  actual!: string | null;
}

@Entity({ name: 'promotion_policy' })
@ObjectType('PromotionPolicy', { description: 'What a move to a stage needs, for one model or as the project default.' })
export class PromotionPolicy {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  projectId!: string;

  @Column({ type: 'uuid', nullable: true })
  modelId!: string | null;

  @Field(() => Stage, { description: 'The stage the policy guards.' })
  @Column({ type: 'text' })
  toStage!: Stage;

  @Field(() => Int, { description: 'Approvals needed from reviewers other than the requester.' })
  @Column({ type: 'integer' })
  requiredApprovals!: number;

  @Field(() => [MetricGate], { description: 'Metric thresholds the source run must meet.' })
  @Column({ type: 'jsonb', default: [] })
  metricGates!: MetricGate[];

  @Field({ description: 'Whether the source run needs a clean commit and at least one input data version.' })
  @Column({ type: 'boolean', default: false })
  requireCompleteLineage!: boolean;

  @Column({ type: 'uuid' })
  updatedBy!: string;

  @Field({ description: 'When the policy last changed.' })
  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity({ name: 'transition_request' })
@ObjectType('TransitionRequest', { description: 'A request to move a model version to another stage, reviewed like a pull request.' })
export class TransitionRequest {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  projectId!: string;

  @Column({ type: 'uuid' })
  modelId!: string;

  @Column({ type: 'uuid' })
  modelVersionId!: string;

  @Field(() => Stage, { description: 'The stage the version was in when requested.' })
  @Column({ type: 'text' })
  fromStage!: Stage;

  @Field(() => Stage, { description: 'The stage requested.' })
  @Column({ type: 'text' })
  toStage!: Stage;

  @Field(() => TransitionStatus, { description: 'Where the request stands.' })
  @Column({ type: 'text' })
  status!: TransitionStatus;

  @Column({ type: 'uuid' })
  requestedBy!: string;

  @Field(() => String, { nullable: true, description: "The requester's reason." })
  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Field(() => [GateResult], { name: 'gates', description: 'Every condition (approvals, metric gates, lineage) as last evaluated.' })
  @Column({ type: 'jsonb', default: [] })
  gateResults!: GateResult[];

  @Column({ type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Field({ description: 'When it was requested.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was applied, rejected or cancelled.' })
  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  resolvedBy!: string | null;
}

@Entity({ name: 'transition_review' })
@ObjectType('TransitionReview', { description: "A reviewer's decision on a transition request." })
export class TransitionReview {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  requestId!: string;

  @Column({ type: 'uuid' })
  reviewerId!: string;

  @Field(() => ReviewDecision, { description: 'APPROVE or REJECT.' })
  @Column({ type: 'text' })
  decision!: ReviewDecision;

  @Field(() => String, { nullable: true, description: "The reviewer's comment." })
  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Field({ description: 'When the review was given.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'stage_change' })
@ObjectType('StageTransition', { description: 'One stage change of a model version: who, when, why, under which request.' })
export class StageChange {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  projectId!: string;

  @Column({ type: 'uuid' })
  modelId!: string;

  @Column({ type: 'uuid' })
  modelVersionId!: string;

  @Field(() => Stage, { description: 'The stage left.' })
  @Column({ type: 'text' })
  fromStage!: Stage;

  @Field(() => Stage, { description: 'The stage entered.' })
  @Column({ type: 'text' })
  toStage!: Stage;

  @Column({ type: 'uuid', nullable: true })
  requestId!: string | null;

  @Field({ description: 'Why: the applied request, or the promotion that archived this version.' })
  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'uuid', nullable: true })
  changedBy!: string | null;

  @Field({ description: 'When the stage changed.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'model_alias' })
// simpleResolvers: fields are plain property reads (no @Authorized, no middleware), so they skip
// type-graphql's per-field wrapper; a model page answers hundreds of them.
@ObjectType('ModelAlias', { simpleResolvers: true, description: 'A name, like "champion", that points at one version of a model.' })
export class ModelAlias {
  @PrimaryColumn({ type: 'uuid' })
  modelId!: string;

  @Field({ description: 'The alias.' })
  @PrimaryColumn({ type: 'text' })
  alias!: string;

  @Column({ type: 'uuid' })
  modelVersionId!: string;

  @Column({ type: 'uuid' })
  updatedBy!: string;

  @Field({ description: 'When the alias last moved.' })
  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity({ name: 'model_alias_change' })
export class ModelAliasChange {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  modelId!: string;

  @Column({ type: 'text' })
  alias!: string;

  @Column({ type: 'uuid', nullable: true })
  modelVersionId!: string | null;

  @Column({ type: 'uuid' })
  changedBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
