import { IsEmail, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { LIMITS } from '../../common/validation/limits';

@InputType('CreateUserInput', { description: 'A new user account.' })
export class CreateUserInput {
  @Field({ description: 'Sign-in email; unique regardless of case.' })
  @IsEmail({}, { message: 'email must be an email address like name@example.com' })
  @MaxLength(254)
  email!: string;

  @Field({ description: 'Display name.' })
  @Length(1, LIMITS.name, { message: `name must be 1 to ${LIMITS.name} characters` })
  name!: string;

  @Field({ description: `Initial password, ${LIMITS.password.min} to ${LIMITS.password.max} characters.` })
  @Length(LIMITS.password.min, LIMITS.password.max, { message: `password must be ${LIMITS.password.min} to ${LIMITS.password.max} characters` })
  password!: string;
}
