import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Node } from '../lineage/node.interface';

export enum Stage {
  NONE = 'NONE',
  STAGING = 'STAGING',
  PRODUCTION = 'PRODUCTION',
  ARCHIVED = 'ARCHIVED',
}

registerEnumType(Stage, {
  name: 'Stage',
  description: 'Where a model version is in its lifecycle. At most one version of a model is in PRODUCTION.',
});

@Entity({ name: 'registered_model' })
// simpleResolvers: fields are plain property reads (no @Authorized, no middleware), so they skip
// type-graphql's per-field wrapper; a model page answers hundreds of them.
@ObjectType('RegisteredModel', { simpleResolvers: true, description: 'A named model whose versions are registered from finished runs.' })
export class RegisteredModel {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  projectId!: string;

  @Field({ description: 'Model name, unique in its project.' })
  @Column({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the model does.' })
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Field(() => Int, { description: 'The highest version number registered so far; 0 before the first.' })
  @Column({ type: 'integer', default: 0 })
  latestVersion!: number;

  @Field({ description: 'When the model was registered.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'model_version' })
@ObjectType('ModelVersion', { simpleResolvers: true, implements: Node, description: 'One registered version of a model, tied to the run that trained it and the digest of its bytes.' })
export class ModelVersion extends Node {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryColumn({ type: 'uuid' })
  declare id: string;

  @Column({ type: 'uuid' })
  projectId!: string;

  @Column({ type: 'uuid' })
  modelId!: string;

  @Field(() => Int, { description: 'Version number: 1, 2, 3… per model, without gaps.' })
  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'uuid' })
  runId!: string;

  @Field({ description: 'Where the model artifact is stored.' })
  @Column({ type: 'text' })
  artifactUri!: string;

  @Field({ description: 'sha256:<hex> of the artifact bytes; fixed at registration.' })
  @Column({ type: 'text' })
  artifactDigest!: string;

  @Field(() => String, { nullable: true, description: 'Notes on this version.' })
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Field(() => Stage, { description: 'Current stage.' })
  @Column({ type: 'text', default: Stage.NONE })
  stage!: Stage;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @Field({ description: 'When the version was registered.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'text', nullable: true })
  idempotencyKey!: string | null;
}
