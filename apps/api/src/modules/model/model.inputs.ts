import { IsOptional, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { LIMITS, PATTERNS } from '../../common/validation/limits';
import { IsArtifactPath } from '../artifact/artifact-path';

@InputType('RegisterModelVersionInput', {
  description: "A new version of a registered model, from a FINISHED run's artifact: one uploaded to the run (artifactPath, or artifactDigest), or one stored elsewhere (artifactUri with artifactDigest).",
})
export class RegisterModelVersionInput {
  @Field({ description: 'Project key.' })
  @Matches(PATTERNS.projectKey, { message: 'project must be a project key like "fraud-detection"' })
  project!: string;

  @Field({ description: "Model name; created with the first version. Letters, digits, '.', '_' and '-', up to 128." })
  @Matches(PATTERNS.modelName, { message: "model must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit" })
  model!: string;

  @Field(() => ID, { description: 'The FINISHED run that trained the model, in the same project.' })
  @IsUUID('all', { message: 'runId must be a run id' })
  runId!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The path of an artifact uploaded to the run (PUT /api/v1/runs/:runId/artifacts/*path): its digest and URI become the version\'s.',
  })
  @IsOptional()
  @IsArtifactPath()
  artifactPath?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Where the model is stored when not uploaded to Pedigree (s3://, gs://, https://…); then artifactDigest is recorded as given. Leave it out for an uploaded artifact.',
  })
  @IsOptional()
  @Length(1, LIMITS.uri, { message: `artifactUri must be 1 to ${LIMITS.uri} characters` })
  artifactUri?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'sha256:<64 lowercase hex> of the artifact bytes. Without an external artifactUri it must be the digest of an artifact uploaded to the run.',
  })
  @IsOptional()
  @Matches(PATTERNS.artifactDigest, { message: 'artifactDigest must be "sha256:" followed by 64 lowercase hex characters' })
  artifactDigest?: string | null;

  @Field(() => String, { nullable: true, description: 'Notes on this version.' })
  @IsOptional()
  @MaxLength(LIMITS.text)
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'Client-chosen key: a retry with the same key returns the first version instead of registering another.' })
  @IsOptional()
  @Length(1, 200)
  idempotencyKey?: string | null;
}
