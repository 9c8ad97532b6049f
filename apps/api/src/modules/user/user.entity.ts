import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { AuthMethod } from '../../common/auth/viewer';

registerEnumType(AuthMethod, {
  name: 'AuthMethod',
  description: 'How a request proved who is asking.',
  valuesConfig: {
    PASSWORD: { description: 'A session from signing in with email and password.' },
    OIDC: { description: "A session from signing in with the organisation's identity provider (single sign-on)." },
    API_TOKEN: { description: 'An API token.' },
  },
});

@Entity({ name: 'app_user' })
@ObjectType('User', { description: 'A person who signs in to Pedigree.' })
export class User {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Sign-in email, unique regardless of case.' })
  @Column({ type: 'text' })
  email!: string;

  @Field({ description: 'Display name.' })
  @Column({ type: 'text' })
  name!: string;

  /** Null for users who sign in through single sign-on only. */
  @Column({ type: 'text', nullable: true, select: false })
  passwordHash!: string | null;

  @Field({ description: 'Whether the user administers the instance (users and projects).' })
  @Column({ type: 'boolean', default: false })
  isAdmin!: boolean;

  @Field(() => Date, { nullable: true, description: 'When an instance admin deactivated the user; their sessions and API tokens are refused since. Null for an active user.' })
  @Column({ type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;

  @Field({ description: 'When the user was created.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
