import { IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { LIMITS, PATTERNS } from '../../common/validation/limits';

@InputType('RecordCommitInput', { description: 'A code commit a run executed.' })
export class RecordCommitInput {
  @Field({ description: 'Project key.' })
  @Matches(PATTERNS.projectKey, { message: 'project must be a project key like "fraud-detection"' })
  project!: string;

  @Field({ description: 'Repository URL or name, e.g. "github.com/acme/fraud".' })
  @Length(1, LIMITS.uri, { message: `repository must be 1 to ${LIMITS.uri} characters` })
  repository!: string;

  @Field({ description: 'Commit hash: 40 hex characters (SHA-1) or 64 (SHA-256).' })
  @Matches(PATTERNS.sha, { message: 'sha must be 40 or 64 hexadecimal characters (a full commit hash, not an abbreviation)' })
  sha!: string;

  @Field(() => String, { nullable: true, description: 'Branch name.' })
  @IsOptional()
  @MaxLength(LIMITS.name)
  branch?: string | null;

  @Field(() => String, { nullable: true, description: 'Commit author.' })
  @IsOptional()
  @MaxLength(LIMITS.name)
  author?: string | null;

  @Field(() => String, { nullable: true, description: 'Commit message.' })
  @IsOptional()
  @MaxLength(LIMITS.text)
  message?: string | null;

  @Field(() => Date, { nullable: true, description: 'Commit time.' })
  @IsOptional()
  committedAt?: Date | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'True when the working tree had uncommitted changes.' })
  @IsOptional()
  dirty?: boolean | null;
}
