import { ProjectRole } from '@pedigree/shared';
import { IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';
import { LIMITS, PATTERNS } from '../../common/validation/limits';
import { User } from '../user/user.entity';
import { ApiToken } from './api-token.entity';

@ObjectType('AuthPayload', { description: 'The result of signing in.' })
export class AuthPayload {
  @Field({ description: 'Session token: send it as `Authorization: Bearer <token>`.' })
  token!: string;

  @Field(() => User, { description: 'The signed-in user.' })
  user!: User;
}

@InputType('CreateApiTokenInput', { description: 'A new API token for the signed-in user.' })
export class CreateApiTokenInput {
  @Field({ description: 'What the token is for, e.g. "ci-train-job".' })
  @Length(1, LIMITS.name, { message: `name must be 1 to ${LIMITS.name} characters` })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Key of the one project the token may reach; omit for all of the user\'s projects.' })
  @IsOptional()
  @Matches(PATTERNS.projectKey, { message: 'project must be a project key: lowercase letters, digits and hyphens' })
  project?: string | null;

  @Field(() => ProjectRole, { nullable: true, description: 'Highest role the token acts with; omit for the user\'s own role.' })
  @IsOptional()
  role?: ProjectRole | null;

  @Field(() => Date, { nullable: true, description: 'When the token stops working; omit for no expiry.' })
  @IsOptional()
  expiresAt?: Date | null;
}

@ObjectType('CreateApiTokenPayload', { description: 'A new API token. The secret is shown here once and never again.' })
export class CreateApiTokenPayload {
  @Field({ description: 'The secret: send it as `Authorization: Bearer <token>`. Store it now; only its hash is kept.' })
  token!: string;

  @Field(() => ApiToken, { description: 'The token record.' })
  apiToken!: ApiToken;
}
