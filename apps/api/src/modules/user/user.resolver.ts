import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { AuthMethod } from '../../common/auth/viewer';
import { type Context, signedIn } from '../../context';
import { User } from './user.entity';
import { CreateUserInput } from './user.inputs';
import type { UserService } from './user.service';

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly users: UserService) {}

  @Authorized('ADMIN')
  @Mutation(() => User, { description: 'Creates a user account. Needs an instance admin.' })
  createUser(@Arg('input') input: CreateUserInput, @Ctx() ctx: Context): Promise<User> {
    return this.users.create(signedIn(ctx), input);
  }

  @Authorized('ADMIN')
  @Mutation(() => User, {
    description: "Deactivates a user: their sessions and API tokens are refused from the next request on, on every API replica, and their API tokens are revoked. Needs an instance admin.",
  })
  deactivateUser(@Arg('email') email: string, @Ctx() ctx: Context): Promise<User> {
    return this.users.deactivate(signedIn(ctx), email);
  }

  @Authorized('ADMIN')
  @Mutation(() => User, { description: 'Lets a deactivated user sign in again; their revoked API tokens stay revoked. Needs an instance admin.' })
  reactivateUser(@Arg('email') email: string, @Ctx() ctx: Context): Promise<User> {
    return this.users.reactivate(signedIn(ctx), email);
  }

  @FieldResolver(() => AuthMethod, { nullable: true, description: "How the viewer proved who they are for this request: PASSWORD or OIDC for a session, API_TOKEN for a token. Null on users other than the viewer." })
  authMethod(@Root() user: User, @Ctx() ctx: Context): AuthMethod | null {
    return ctx.viewer?.id === user.id ? (ctx.viewer.authentication?.method ?? null) : null;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: "When the viewer's session was authenticated (password checked, or signed in at the identity provider). Null for API tokens and on users other than the viewer.",
  })
  authenticatedAt(@Root() user: User, @Ctx() ctx: Context): Date | null {
    return ctx.viewer?.id === user.id ? (ctx.viewer.authentication?.authenticatedAt ?? null) : null;
  }
}
