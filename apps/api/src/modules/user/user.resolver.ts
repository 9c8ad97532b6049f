import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
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
}
