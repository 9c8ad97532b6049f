import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { type Context, signedIn } from '../../context';
import { Project } from '../project/project.entity';
import { User } from '../user/user.entity';
import { ApiToken } from './api-token.entity';
import { AuthPayload, CreateApiTokenInput, CreateApiTokenPayload } from './auth.inputs';
import type { AuthService } from './auth.service';

@Resolver(() => ApiToken)
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => AuthPayload, { description: 'Signs in with email and password. Public.' })
  login(@Arg('email') email: string, @Arg('password') password: string): Promise<AuthPayload> {
    return this.auth.login(email, password);
  }

  @Authorized('SIGNED_IN')
  @Query(() => User, { nullable: true, description: 'The signed-in user. Needs a session or API token.' })
  me(@Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.userById.load(signedIn(ctx).id);
  }

  @Authorized('SIGNED_IN')
  @Query(() => [ApiToken], { description: "The signed-in user's API tokens, newest first. Needs a session or API token." })
  apiTokens(@Ctx() ctx: Context): Promise<ApiToken[]> {
    return this.auth.listApiTokens(signedIn(ctx));
  }

  @Authorized('SIGNED_IN')
  @Mutation(() => CreateApiTokenPayload, {
    description: 'Creates an API token for the signed-in user, optionally capped to one project (where the user needs VIEWER) and a lower role. Needs a session, not another API token.',
  })
  createApiToken(@Arg('input') input: CreateApiTokenInput, @Ctx() ctx: Context): Promise<CreateApiTokenPayload> {
    return this.auth.createApiToken(signedIn(ctx), input);
  }

  @Authorized('SIGNED_IN')
  @Mutation(() => ApiToken, { description: "Revokes one of the signed-in user's API tokens. Needs a session or API token." })
  revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ApiToken> {
    return this.auth.revokeApiToken(signedIn(ctx), id);
  }

  @FieldResolver(() => Project, { nullable: true, description: 'The one project the token may reach; null for all.' })
  project(@Root() token: ApiToken, @Ctx() ctx: Context): Promise<Project | null> | null {
    return token.projectId ? ctx.loaders.projectById.load(token.projectId) : null;
  }
}
