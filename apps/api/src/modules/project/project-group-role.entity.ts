import { ProjectRole } from '@pedigree/shared';
import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'project_group_role' })
@ObjectType('ProjectGroupRole', { description: 'A role that members of an identity provider group get in a project when they sign in with single sign-on.' })
export class ProjectGroupRole {
  @PrimaryColumn({ type: 'uuid' })
  projectId!: string;

  @Field(() => String, { name: 'group', description: "A value of the identity provider's groups claim, compared exactly." })
  @PrimaryColumn({ type: 'text' })
  groupName!: string;

  @Field(() => ProjectRole, { description: 'The role members of the group get.' })
  @Column({ type: 'text' })
  role!: ProjectRole;

  @Column({ type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @Field({ description: 'When the mapping was last set.' })
  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
