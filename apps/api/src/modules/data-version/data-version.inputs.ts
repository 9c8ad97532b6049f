import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsUUID, Length, Matches, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { SafeInt } from '../../common/scalars';
import { LIMITS, PATTERNS } from '../../common/validation/limits';
import { HASH_ALGORITHMS } from './data-version.entity';

@InputType('RegisterDataVersionInput', { description: 'One exact content of a dataset.' })
export class RegisterDataVersionInput {
  @Field({ description: 'Project key.' })
  @Matches(PATTERNS.projectKey, { message: 'project must be a project key like "fraud-detection"' })
  project!: string;

  @Field({ description: 'Dataset name, e.g. "data/prepared"; created on first use.' })
  @Matches(PATTERNS.datasetName, { message: "dataset must be 1-250 letters, digits, '.', '_', '-' or '/', starting with a letter or digit" })
  dataset!: string;

  @Field({ description: 'Lowercase hex digest of the content; DVC directory hashes keep their ".dir" suffix.' })
  @Length(1, 100)
  contentHash!: string;

  @Field(() => String, { nullable: true, defaultValue: 'md5', description: 'Algorithm of contentHash: "md5" (default), "md5-dos2unix" (DVC 2.x) or "sha256".' })
  @IsOptional()
  @IsIn(HASH_ALGORITHMS, { message: `hashAlgorithm must be one of ${HASH_ALGORITHMS.join(', ')}` })
  hashAlgorithm?: string | null;

  @Field(() => String, { nullable: true, description: 'Where the content is stored.' })
  @IsOptional()
  @MaxLength(LIMITS.uri)
  uri?: string | null;

  @Field(() => SafeInt, { nullable: true, description: 'Total size in bytes.' })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'sizeBytes cannot be negative' })
  sizeBytes?: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of files, for a directory.' })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'fileCount cannot be negative' })
  fileCount?: number | null;

  @Field(() => String, { nullable: true, description: 'Storage format, e.g. "parquet".' })
  @IsOptional()
  @MaxLength(100)
  format?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Data versions this one was derived from.' })
  @IsOptional()
  @ArrayMaxSize(LIMITS.derivedFromPerVersion)
  @IsUUID('all', { each: true, message: 'derivedFrom must hold data version ids' })
  derivedFrom?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'The run that produced this version.' })
  @IsOptional()
  @IsUUID('all', { message: 'producedByRunId must be a run id' })
  producedByRunId?: string | null;
}
