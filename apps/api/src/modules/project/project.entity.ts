import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'project' })
@ObjectType('Project', { description: 'A team space: every lineage record, model and role belongs to one project.' })
export class Project {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Short unique key used in API arguments, like "fraud-detection".' })
  @Column({ type: 'text' })
  key!: string;

  @Field({ description: 'Human-readable name.' })
  @Column({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the project is for.' })
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Field({ description: 'When the project was created.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
