import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { LIMITS, PATTERNS } from '../../common/validation/limits';
import { Stage } from '../model/model.entity';
import { MetricGate, ReviewDecision } from './governance.entity';

const IDEMPOTENCY_KEY_DESCRIPTION = 'Client-chosen key: a replay with the same key returns the first result and changes nothing; the same key with other inputs is refused.';

@InputType('RequestTransitionInput', { description: 'A request to move a model version to another stage.' })
export class RequestTransitionInput {
  @Field(() => ID, { description: 'The model version.' })
  @IsUUID('all', { message: 'modelVersionId must be a model version id' })
  modelVersionId!: string;

  @Field(() => Stage, { description: 'The stage to move to: NONE->STAGING, STAGING->PRODUCTION, PRODUCTION->ARCHIVED, ARCHIVED->STAGING.' })
  @IsIn(Object.values(Stage))
  toStage!: Stage;

  @Field(() => String, { nullable: true, description: 'Why the move is wanted.' })
  @IsOptional()
  @MaxLength(LIMITS.text)
  comment?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION })
  @IsOptional()
  @Length(1, 200)
  idempotencyKey?: string | null;
}

@InputType('ReviewTransitionInput', { description: "A reviewer's decision on a PENDING request." })
export class ReviewTransitionInput {
  @Field(() => ID, { description: 'The transition request.' })
  @IsUUID('all', { message: 'requestId must be a transition request id' })
  requestId!: string;

  @Field(() => ReviewDecision, { description: 'APPROVE or REJECT.' })
  @IsIn(Object.values(ReviewDecision))
  decision!: ReviewDecision;

  @Field(() => String, { nullable: true, description: 'The reason, shown on the request and the audit trail.' })
  @IsOptional()
  @MaxLength(LIMITS.text)
  comment?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION })
  @IsOptional()
  @Length(1, 200)
  idempotencyKey?: string | null;
}

@InputType('SetPromotionPolicyInput', { description: 'What a move to a stage needs, for one model or as the project default.' })
export class SetPromotionPolicyInput {
  @Field({ description: 'Project key.' })
  @Matches(PATTERNS.projectKey, { message: 'project must be a project key like "fraud-detection"' })
  project!: string;

  @Field(() => String, { nullable: true, description: "Model name; omit to set the project's default for every model." })
  @IsOptional()
  @Matches(PATTERNS.modelName, { message: 'model must be a model name' })
  model?: string | null;

  @Field(() => Stage, { description: 'STAGING, PRODUCTION or ARCHIVED.' })
  @IsIn([Stage.STAGING, Stage.PRODUCTION, Stage.ARCHIVED], { message: 'toStage must be STAGING, PRODUCTION or ARCHIVED' })
  toStage!: Stage;

  @Field(() => Int, { description: 'Approvals needed, 0 to 10.' })
  @IsInt()
  @Min(0)
  @Max(10, { message: 'requiredApprovals must be between 0 and 10' })
  requiredApprovals!: number;

  @Field(() => [MetricGate], { nullable: true, description: 'Metric thresholds, at most 20.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  metricGates?: MetricGate[] | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Require a clean commit and at least one input data version on the source run.' })
  @IsOptional()
  requireCompleteLineage?: boolean | null;
}

@InputType('SetModelAliasInput', { description: 'Points an alias of a model at one of its versions.' })
export class SetModelAliasInput {
  @Field(() => ID, { description: 'The version the alias will name.' })
  @IsUUID('all', { message: 'modelVersionId must be a model version id' })
  modelVersionId!: string;

  @Field({ description: 'The alias: 1-63 lowercase letters, digits, "_" or "-", starting with a letter, e.g. "champion".' })
  @Matches(/^[a-z][a-z0-9_-]{0,62}$/, { message: 'alias must be 1-63 lowercase letters, digits, "_" or "-", starting with a letter' })
  alias!: string;
}

@InputType('RemoveModelAliasInput', { description: 'Removes an alias from a model.' })
export class RemoveModelAliasInput {
  @Field({ description: 'Project key.' })
  @Matches(PATTERNS.projectKey, { message: 'project must be a project key like "fraud-detection"' })
  project!: string;

  @Field({ description: 'Model name.' })
  @Matches(PATTERNS.modelName, { message: 'model must be a model name' })
  model!: string;

  @Field({ description: 'The alias.' })
  @Length(1, 63)
  alias!: string;
}
