import { ProjectRole } from '@pedigree/shared';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'api_token' })
@ObjectType('ApiToken', { description: 'A token that acts for its user from scripts and CI, optionally capped to one project and a lower role.' })
export class ApiToken {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Field({ description: 'What the token is for, e.g. "ci-train-job".' })
  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', select: false })
  tokenHash!: string;

  @Column({ type: 'uuid', nullable: true })
  projectId!: string | null;

  @Field(() => ProjectRole, { nullable: true, description: 'The highest role the token acts with; null: the user\'s own role.' })
  @Column({ type: 'text', nullable: true })
  role!: ProjectRole | null;

  @Field(() => Date, { nullable: true, description: 'After this time the token is refused.' })
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the token was revoked, if it was.' })
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Field({ description: 'When the token was created.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
