import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { Node } from '../lineage/node.interface';

@Entity({ name: 'code_commit' })
// simpleResolvers: fields are plain property reads (no @Authorized, no middleware), so they skip
// type-graphql's per-field wrapper; a model page answers hundreds of them.
@ObjectType('CodeCommit', { simpleResolvers: true, implements: Node, description: 'A commit of source code that a run executed.' })
export class CodeCommit extends Node {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryColumn({ type: 'uuid' })
  declare id: string;

  @Column({ type: 'uuid' })
  projectId!: string;

  @Field({ description: 'Repository URL or name, e.g. "github.com/acme/fraud".' })
  @Column({ type: 'text' })
  repository!: string;

  @Field({ description: 'The commit hash: 40 hex characters (SHA-1) or 64 (SHA-256), lowercase.' })
  @Column({ type: 'text' })
  sha!: string;

  @Field(() => String, { nullable: true, description: 'Branch the commit was on when recorded.' })
  @Column({ type: 'text', nullable: true })
  branch!: string | null;

  @Field(() => String, { nullable: true, description: 'Commit author.' })
  @Column({ type: 'text', nullable: true })
  author!: string | null;

  @Field(() => String, { nullable: true, description: 'Commit message.' })
  @Column({ type: 'text', nullable: true })
  message!: string | null;

  @Field(() => Date, { nullable: true, description: 'Commit time.' })
  @Column({ type: 'timestamptz', nullable: true })
  committedAt!: Date | null;

  @Field({ description: 'True when the working tree had uncommitted changes: the code is not exactly this commit.' })
  @Column({ type: 'boolean', default: false })
  dirty!: boolean;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Field({ description: 'When Pedigree recorded the commit.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
