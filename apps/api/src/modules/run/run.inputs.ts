import {
  ArrayMaxSize, IsIn, IsInt, IsObject, IsOptional, IsUUID, Length, Matches, MaxLength, Min, registerDecorator, ValidateNested, type ValidationArguments,
} from 'class-validator';
import { Field, Float, ID, InputType, ObjectType, Int } from 'type-graphql';
import { JSONScalar, SafeInt } from '../../common/scalars';
import { LIMITS, PATTERNS } from '../../common/validation/limits';
import { IsArtifactPath } from '../artifact/artifact-path';
import { ArtifactKind, MAX_MEDIA_TYPE_LENGTH, MEDIA_TYPE } from '../artifact/artifact.types';
import { DataRole } from '../lineage/lineage.types';
import { RunStatus } from './run.entity';

const KEY_RULE = `must be 1 to ${LIMITS.key} printable characters without leading or trailing spaces`;

@InputType('ParamInput', { description: 'A run parameter.' })
export class ParamInput {
  @Field({ description: `Name, at most ${LIMITS.key} characters.` })
  @Length(1, LIMITS.key, { message: `param key ${KEY_RULE}` })
  @Matches(PATTERNS.key, { message: `param key ${KEY_RULE}` })
  key!: string;

  @Field({ description: `Value as text, at most ${LIMITS.paramValue} characters.` })
  @MaxLength(LIMITS.paramValue, { message: `param value must be at most ${LIMITS.paramValue} characters` })
  value!: string;
}

@InputType('TagInput', { description: 'A run tag.' })
export class TagInput {
  @Field({ description: `Name, at most ${LIMITS.key} characters.` })
  @Length(1, LIMITS.key, { message: `tag key ${KEY_RULE}` })
  @Matches(PATTERNS.key, { message: `tag key ${KEY_RULE}` })
  key!: string;

  @Field({ description: `Value, at most ${LIMITS.tagValue} characters.` })
  @MaxLength(LIMITS.tagValue, { message: `tag value must be at most ${LIMITS.tagValue} characters` })
  value!: string;
}

@InputType('RunDataInput', { description: 'A data version a run reads, and how it uses it.' })
export class RunDataInput {
  @Field(() => ID, { description: 'The data version id.' })
  @IsUUID('all', { message: 'dataVersionId must be a data version id' })
  dataVersionId!: string;

  @Field(() => DataRole, { defaultValue: DataRole.TRAIN, description: 'TRAIN (default), VALIDATION, TEST or OTHER.' })
  @IsIn(Object.values(DataRole))
  role!: DataRole;
}

@InputType('StartRunInput', { description: 'A run that starts now: its code, inputs and settings, fixed from here on.' })
export class StartRunInput {
  @Field({ description: 'Project key.' })
  @Matches(PATTERNS.projectKey, { message: 'project must be a project key like "fraud-detection"' })
  project!: string;

  @Field(() => String, { nullable: true, defaultValue: 'Default', description: 'Experiment name; created on first use. Default "Default".' })
  @IsOptional()
  @Length(1, LIMITS.name, { message: `experiment must be 1 to ${LIMITS.name} characters` })
  experiment?: string | null;

  @Field(() => String, { nullable: true, description: 'Run name; defaults to one made from the start time.' })
  @IsOptional()
  @Length(1, LIMITS.name, { message: `name must be 1 to ${LIMITS.name} characters` })
  name?: string | null;

  @Field(() => ID, { nullable: true, description: 'The CodeCommit the run executes.' })
  @IsOptional()
  @IsUUID('all', { message: 'commitId must be a commit id from recordCommit' })
  commitId?: string | null;

  @Field(() => String, { nullable: true, description: 'The command or script, e.g. "python train.py".' })
  @IsOptional()
  @MaxLength(LIMITS.text)
  entrypoint?: string | null;

  @Field(() => JSONScalar, { nullable: true, description: `The environment as a JSON object, at most ${LIMITS.environmentBytes / 1024} KiB.` })
  @IsOptional()
  @IsObject({ message: 'environment must be a JSON object' })
  environment?: Record<string, unknown> | null;

  @Field(() => [ParamInput], { nullable: true, description: `Parameters, at most ${LIMITS.paramsPerRun}; keys unique.` })
  @IsOptional()
  @ArrayMaxSize(LIMITS.paramsPerRun)
  @ValidateNested({ each: true })
  params?: ParamInput[] | null;

  @Field(() => [TagInput], { nullable: true, description: `Tags, at most ${LIMITS.tagsPerRun}; keys unique.` })
  @IsOptional()
  @ArrayMaxSize(LIMITS.tagsPerRun)
  @ValidateNested({ each: true })
  tags?: TagInput[] | null;

  @Field(() => [RunDataInput], { nullable: true, description: `Data versions the run reads, at most ${LIMITS.inputsPerRun}.` })
  @IsOptional()
  @ArrayMaxSize(LIMITS.inputsPerRun)
  @ValidateNested({ each: true })
  inputs?: RunDataInput[] | null;

  @Field(() => [ID], { nullable: true, description: 'Registered model versions the run fine-tunes or distils from.' })
  @IsOptional()
  @ArrayMaxSize(LIMITS.inputsPerRun)
  @IsUUID('all', { each: true, message: 'baseModelVersionIds must hold model version ids' })
  baseModelVersionIds?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'The parent run, for nested runs such as a sweep.' })
  @IsOptional()
  @IsUUID('all', { message: 'parentRunId must be a run id' })
  parentRunId?: string | null;

  @Field(() => String, { nullable: true, description: 'Client-chosen key: a retry with the same key returns the first run instead of starting another.' })
  @IsOptional()
  @Length(1, 200)
  idempotencyKey?: string | null;
}

@InputType('MetricInput', { description: 'One metric point.' })
export class MetricInput {
  @Field({ description: `Name, at most ${LIMITS.key} characters.` })
  key!: string;

  @Field(() => Float, { description: 'A finite number.' })
  value!: number;

  @Field(() => SafeInt, { nullable: true, defaultValue: 0, description: 'Step or epoch; default 0.' })
  step?: number | null;

  @Field(() => Date, { nullable: true, description: 'When it was measured; default now.' })
  timestamp?: Date | null;
}

/** What is wrong with one metric point, or null. */
function metricPointProblem(point: MetricInput): string | null {
  const { key, value, step } = point;
  if (typeof key !== 'string' || key.length < 1 || key.length > LIMITS.key || !PATTERNS.key.test(key)) return `metric key ${KEY_RULE}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'metric value must be a finite number';
  if (step !== null && step !== undefined && !(Number.isInteger(step) && step >= 0)) return 'step cannot be negative';
  return null;
}

/**
 * Checks a batch of metric points in one pass, naming the first bad point: for a batch of up to
 * LIMITS.metricsPerCall points, class-validator's nested per-object validation cost more than
 * storing them.
 */
function IsMetricBatch() {
  const firstProblem = (points: MetricInput[]): string | null => {
    for (const [index, point] of points.entries()) {
      const problem = metricPointProblem(point);
      if (problem) return `point ${index}: ${problem}`;
    }
    return null;
  };
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isMetricBatch',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => Array.isArray(value) && firstProblem(value) === null,
        defaultMessage: ({ value }: ValidationArguments) => (Array.isArray(value) ? (firstProblem(value) ?? '') : 'metrics must be a list'),
      },
    });
}

@InputType('LogMetricsInput', { description: `A batch of metric points for a RUNNING run, at most ${LIMITS.metricsPerCall}.` })
export class LogMetricsInput {
  @Field(() => ID, { description: 'The run.' })
  @IsUUID('all', { message: 'runId must be a run id' })
  runId!: string;

  @Field(() => [MetricInput], { description: `At most ${LIMITS.metricsPerCall} points.` })
  @ArrayMaxSize(LIMITS.metricsPerCall, { message: `at most ${LIMITS.metricsPerCall} metric points per call; split the batch` })
  @IsMetricBatch()
  metrics!: MetricInput[];
}

@ObjectType('LogMetricsPayload', { description: 'What logMetrics stored.' })
export class LogMetricsPayload {
  @Field(() => Int, { description: 'Number of points stored.' })
  accepted!: number;
}

/** Every ArtifactKind name in either case. */
const ARTIFACT_KIND_NAMES = Object.values(ArtifactKind).flatMap((kind) => [kind, kind.toLowerCase()]);

@InputType('ArtifactInput', { description: 'A file the run produced.' })
export class ArtifactInput {
  @Field({ description: "Path relative to the run's artifact root, e.g. \"model/model.pkl\": normalised, without \"..\", backslashes or control characters, at most 1,024 characters." })
  @IsArtifactPath()
  path!: string;

  @Field({ description: 'Where the file is stored.' })
  @Length(1, LIMITS.uri)
  uri!: string;

  @Field(() => String, { nullable: true, description: 'sha256:<64 hex> of the bytes.' })
  @IsOptional()
  @Matches(PATTERNS.artifactDigest, { message: 'digest must be "sha256:" followed by 64 lowercase hex characters' })
  digest?: string | null;

  @Field(() => SafeInt, { nullable: true, description: 'Size in bytes.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  sizeBytes?: number | null;

  @Field(() => String, {
    nullable: true,
    defaultValue: ArtifactKind.OTHER,
    description: 'MODEL, CHECKPOINT, PLOT, LOG or OTHER (default); the lowercase names of earlier clients are accepted too.',
  })
  @IsOptional()
  @IsIn(ARTIFACT_KIND_NAMES, { message: `kind must be one of ${Object.values(ArtifactKind).join(', ')}` })
  kind?: string | null;

  @Field(() => String, { nullable: true, description: 'Media type, e.g. "image/png".' })
  @IsOptional()
  @MaxLength(MAX_MEDIA_TYPE_LENGTH, { message: `mediaType must be at most ${MAX_MEDIA_TYPE_LENGTH} characters` })
  @Matches(MEDIA_TYPE, { message: 'mediaType must be a media type such as "image/png"' })
  mediaType?: string | null;
}

@InputType('FinishRunInput', { description: 'Ends a RUNNING run; after this nothing about it changes.' })
export class FinishRunInput {
  @Field(() => ID, { description: 'The run.' })
  @IsUUID('all', { message: 'runId must be a run id' })
  runId!: string;

  @Field(() => RunStatus, { description: 'FINISHED, FAILED or KILLED.' })
  @IsIn([RunStatus.FINISHED, RunStatus.FAILED, RunStatus.KILLED], { message: 'status must be FINISHED, FAILED or KILLED' })
  status!: RunStatus;

  @Field(() => String, { nullable: true, description: 'Why the run failed.' })
  @IsOptional()
  @MaxLength(LIMITS.text)
  errorMessage?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Data versions the run produced.' })
  @IsOptional()
  @ArrayMaxSize(LIMITS.outputsPerRun)
  @IsUUID('all', { each: true, message: 'outputs must hold data version ids' })
  outputs?: string[] | null;

  @Field(() => [ArtifactInput], { nullable: true, description: `Files the run produced, at most ${LIMITS.artifactsPerRun}.` })
  @IsOptional()
  @ArrayMaxSize(LIMITS.artifactsPerRun)
  @ValidateNested({ each: true })
  artifacts?: ArtifactInput[] | null;
}
