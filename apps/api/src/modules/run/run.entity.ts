import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, CreateDateColumn } from 'typeorm';
import { JSONScalar, SafeInt, bigintAsNumber } from '../../common/scalars';
import { ArtifactKind, runArtifactPath } from '../artifact/artifact.types';
import { Node } from '../lineage/node.interface';

export enum RunStatus {
  RUNNING = 'RUNNING',
  FINISHED = 'FINISHED',
  FAILED = 'FAILED',
  KILLED = 'KILLED',
}

registerEnumType(RunStatus, {
  name: 'RunStatus',
  description: 'A run is RUNNING until finishRun fixes it as FINISHED, FAILED or KILLED.',
});

@Entity({ name: 'experiment' })
@ObjectType('Experiment', { description: 'A named group of runs.' })
export class Experiment {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  projectId!: string;

  @Field({ description: 'Experiment name, unique in its project.' })
  @Column({ type: 'text' })
  name!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'run' })
// simpleResolvers: fields are plain property reads (no @Authorized, no middleware), so they skip
// type-graphql's per-field wrapper; a model page answers hundreds of them.
@ObjectType('Run', { simpleResolvers: true, implements: Node, description: 'One execution of training or data code: its commit, inputs, params, metrics and outputs.' })
export class Run extends Node {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryColumn({ type: 'uuid' })
  declare id: string;

  @Column({ type: 'uuid' })
  projectId!: string;

  @Column({ type: 'uuid' })
  experimentId!: string;

  @Field({ description: 'Run name.' })
  @Column({ type: 'text' })
  name!: string;

  @Field(() => RunStatus, { description: 'Lifecycle status; anything but RUNNING is final.' })
  @Column({ type: 'text' })
  status!: RunStatus;

  @Column({ type: 'uuid', nullable: true })
  commitId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  parentRunId!: string | null;

  @Field(() => String, { nullable: true, description: 'The command or script the run executed.' })
  @Column({ type: 'text', nullable: true })
  entrypoint!: string | null;

  @Field(() => JSONScalar, { nullable: true, description: 'The environment: interpreter, packages, hardware, container image.' })
  @Column({ type: 'jsonb', nullable: true })
  environment!: unknown;

  @Field(() => String, { nullable: true, description: 'Why the run failed, when it did.' })
  @Column({ type: 'text', nullable: true })
  errorMessage!: string | null;

  @Field({ description: 'When the run started.' })
  @Column({ type: 'timestamptz' })
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the run finished; null while RUNNING.' })
  @Column({ type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @Column({ type: 'text', nullable: true })
  idempotencyKey!: string | null;
}

@Entity({ name: 'run_param' })
@ObjectType('Param', { simpleResolvers: true, description: 'A hyperparameter or setting of a run.' })
export class RunParam {
  @PrimaryColumn({ type: 'uuid' })
  runId!: string;

  @Field({ description: 'Parameter name.' })
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Field({ description: 'Parameter value, as text.' })
  @Column({ type: 'text' })
  value!: string;
}

@Entity({ name: 'run_tag' })
@ObjectType('Tag', { simpleResolvers: true, description: 'A free-form label on a run.' })
export class RunTag {
  @PrimaryColumn({ type: 'uuid' })
  runId!: string;

  @Field({ description: 'Tag name.' })
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Field({ description: 'Tag value.' })
  @Column({ type: 'text' })
  value!: string;
}

@ObjectType('Metric', { simpleResolvers: true, description: 'One point of a metric series.' })
export class Metric {
  @Field({ description: 'Metric name.' })
  key!: string;

  @Field({ description: 'Metric value.' })
  value!: number;

  @Field(() => SafeInt, { description: 'Training step (or epoch) of the point.' })
  step!: number;

  @Field({ description: 'When the point was measured.' })
  timestamp!: Date;
}

@Entity({ name: 'run_artifact' })
@ObjectType('RunArtifact', { description: 'A file a run produced: model weights, a checkpoint, a plot, a log.' })
export class RunArtifact {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  runId!: string;

  @Field({ description: "Path relative to the run's artifact root." })
  @Column({ type: 'text' })
  path!: string;

  @Field({ description: 'Where the file is stored.' })
  @Column({ type: 'text' })
  uri!: string;

  @Field(() => String, { nullable: true, description: 'sha256:<hex> of the bytes.' })
  @Column({ type: 'text', nullable: true })
  digest!: string | null;

  @Field(() => SafeInt, { nullable: true, description: 'Size in bytes.' })
  @Column({ type: 'bigint', nullable: true, transformer: bigintAsNumber })
  sizeBytes!: number | null;

  @Field(() => ArtifactKind, { description: 'What the file is: MODEL, CHECKPOINT, PLOT, LOG or OTHER.' })
  @Column({ type: 'text' })
  kind!: ArtifactKind;

  @Field(() => String, { nullable: true, description: 'Media type, e.g. "image/png": the Content-Type of the upload, or as given to finishRun.' })
  @Column({ type: 'text', nullable: true })
  mediaType!: string | null;

  @Field({ description: "True when the bytes were uploaded to Pedigree's artifact store and can be downloaded; false for a file recorded by finishRun as stored elsewhere (uri)." })
  @Column({ type: 'boolean', default: false })
  stored!: boolean;

  @Field({ description: 'When the artifact was recorded.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Field(() => String, { nullable: true, description: "Download path on the API's origin for stored bytes (send the same Authorization header; supports Range); null when not stored." })
  get downloadUrl(): string | null {
    return this.stored ? runArtifactPath(this.runId, this.path) : null;
  }
}
