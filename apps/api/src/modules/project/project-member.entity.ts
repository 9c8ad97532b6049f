import { ProjectRole } from '@pedigree/shared';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

registerEnumType(ProjectRole, {
  name: 'ProjectRole',
  description: 'Per-project roles, each including the rights of the ones before it.',
  valuesConfig: {
    VIEWER: { description: 'Reads everything in the project.' },
    CONTRIBUTOR: { description: 'Records commits, data, runs; registers versions; requests transitions.' },
    REVIEWER: { description: "Also approves or rejects others' transition requests." },
    OWNER: { description: 'Also manages members, policies, tokens and webhooks.' },
  },
});

@Entity({ name: 'project_member' })
@ObjectType('ProjectMember', { description: "A user's role in a project." })
export class ProjectMember {
  @PrimaryColumn({ type: 'uuid' })
  projectId!: string;

  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @Field(() => ProjectRole, { description: 'The role held in the project.' })
  @Column({ type: 'text' })
  role!: ProjectRole;

  @Field({ description: 'When the membership was granted.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
