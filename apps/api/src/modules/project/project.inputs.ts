import { ProjectRole } from '@pedigree/shared';
import { IsEmail, IsIn, IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { LIMITS, PATTERNS } from '../../common/validation/limits';

const PROJECT_KEY_RULE = 'must be 2-63 lowercase letters, digits or hyphens, starting with a letter, like "fraud-detection"';

@InputType('CreateProjectInput', { description: 'A new project.' })
export class CreateProjectInput {
  @Field({ description: 'Unique key: 2-63 lowercase letters, digits or hyphens, starting with a letter.' })
  @Matches(PATTERNS.projectKey, { message: `key ${PROJECT_KEY_RULE}` })
  key!: string;

  @Field({ description: 'Human-readable name.' })
  @Length(1, LIMITS.name, { message: `name must be 1 to ${LIMITS.name} characters` })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the project is for.' })
  @IsOptional()
  @MaxLength(LIMITS.text)
  description?: string | null;
}

@InputType('AddProjectMemberInput', { description: 'Grants a user a role in a project, or changes the role they have.' })
export class AddProjectMemberInput {
  @Field({ description: 'Project key.' })
  @Matches(PATTERNS.projectKey, { message: `project ${PROJECT_KEY_RULE}` })
  project!: string;

  @Field({ description: "The user's sign-in email." })
  @IsEmail({}, { message: 'email must be an email address like name@example.com' })
  email!: string;

  @Field(() => ProjectRole, { description: 'The role to grant.' })
  @IsIn(Object.values(ProjectRole))
  role!: ProjectRole;
}

@InputType('SetProjectGroupRoleInput', { description: 'Maps an identity provider group to a role in a project.' })
export class SetProjectGroupRoleInput {
  @Field({ description: 'Project key.' })
  @Matches(PATTERNS.projectKey, { message: `project ${PROJECT_KEY_RULE}` })
  project!: string;

  @Field({ description: "A value of the identity provider's groups claim, exactly as the provider sends it, e.g. \"ml-reviewers\"." })
  @Length(1, LIMITS.name, { message: `group must be 1 to ${LIMITS.name} characters` })
  group!: string;

  @Field(() => ProjectRole, { description: 'The role members of the group get.' })
  @IsIn(Object.values(ProjectRole))
  role!: ProjectRole;
}
