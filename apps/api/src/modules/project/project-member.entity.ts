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

/** Where a membership came from; sign-ins change GROUP memberships only. */
export enum MembershipSource {
  MANUAL = 'MANUAL',
  GROUP = 'GROUP',
}

registerEnumType(MembershipSource, {
  name: 'MembershipSource',
  description: 'Where a membership came from.',
  valuesConfig: {
    MANUAL: { description: 'Granted by hand; single sign-on never changes it.' },
    GROUP: { description: "Derived from the user's identity provider groups; brought in line with them at every sign-in." },
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

  @Field(() => MembershipSource, { description: 'Whether the role was granted by hand or derived from a group.' })
  @Column({ type: 'text', default: MembershipSource.MANUAL })
  source!: MembershipSource;

  @Field({ description: 'When the membership was granted.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
