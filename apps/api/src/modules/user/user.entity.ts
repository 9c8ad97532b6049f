import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

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

  @Column({ type: 'text', select: false })
  passwordHash!: string;

  @Field({ description: 'Whether the user administers the instance (users and projects).' })
  @Column({ type: 'boolean', default: false })
  isAdmin!: boolean;

  @Field({ description: 'When the user was created.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
