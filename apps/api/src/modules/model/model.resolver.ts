import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, type Page } from '../../common/pagination/connection';
import { type Context, readableOnly, signedIn } from '../../context';
import { StoredArtifact, downloadPath } from '../artifact/artifact.types';
import type { SearchService } from '../search/search.service';
import { Project } from '../project/project.entity';
import { Run } from '../run/run.entity';
import { User } from '../user/user.entity';
import { ModelVersion, RegisteredModel, Stage } from './model.entity';
import { RegisterModelVersionInput } from './model.inputs';
import type { ModelService } from './model.service';

@Resolver(() => RegisteredModel)
export class RegisteredModelResolver {
  constructor(private readonly models: ModelService) {}

  @Authorized('VIEWER')
  @Query(() => RegisteredModel, { nullable: true, description: 'A registered model by project key and name; null when it has no versions yet. Needs VIEWER.' })
  registeredModel(@Arg('project') project: string, @Arg('name') name: string, @Ctx() ctx: Context): Promise<RegisteredModel | null> {
    return this.models.modelByName(signedIn(ctx), project, name);
  }

  @FieldResolver(() => Project, { description: 'The project of the model.' })
  async project(@Root() model: RegisteredModel, @Ctx() ctx: Context): Promise<Project> {
    return (await ctx.loaders.projectById.load(model.projectId)) as Project;
  }

  @FieldResolver(() => [ModelVersion], { description: 'All versions, newest first.' })
  versions(@Root() model: RegisteredModel, @Ctx() ctx: Context): Promise<ModelVersion[]> {
    return ctx.loaders.versionsByModelId.load(model.id);
  }

  @FieldResolver(() => ModelVersion, { nullable: true, description: 'The version in PRODUCTION, if any.' })
  async productionVersion(@Root() model: RegisteredModel, @Ctx() ctx: Context): Promise<ModelVersion | null> {
    return (await ctx.loaders.versionsByModelId.load(model.id)).find((version) => version.stage === Stage.PRODUCTION) ?? null;
  }

  @FieldResolver(() => ModelVersion, { nullable: true, description: 'One version by number.' })
  async version(@Root() model: RegisteredModel, @Arg('version', () => Int) number: number, @Ctx() ctx: Context): Promise<ModelVersion | null> {
    return (await ctx.loaders.versionsByModelId.load(model.id)).find((version) => version.version === number) ?? null;
  }
}

export const ModelVersionConnection = ConnectionType('ModelVersion', ModelVersion);

@Resolver(() => ModelVersion)
export class ModelVersionResolver {
  constructor(
    private readonly models: ModelService,
    private readonly search: SearchService,
  ) {}

  @Authorized('VIEWER')
  @Query(() => ModelVersionConnection, {
    description:
      'Model versions of a project. `filter`: model, version, stage, alias, createdAt, createdBy, tags.<key> and metrics.<key> of the source run, run.<run field>; MLflow search_model_versions strings work too. `orderBy` default "createdAt DESC". Needs VIEWER.',
  })
  modelVersions(
    @Arg('project') project: string,
    @Arg('filter', () => String, { nullable: true }) filter: string | null,
    @Arg('orderBy', () => [String], { nullable: true, description: 'Up to 5 terms, "field [ASC|DESC]".' }) orderBy: string[] | null,
    @Arg('first', () => Int, { nullable: true, description: '1 to 100; default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<Page<ModelVersion>> {
    return this.search.modelVersions(signedIn(ctx), project, filter, orderBy, first, after);
  }

  @Authorized('CONTRIBUTOR')
  @Mutation(() => ModelVersion, {
    description: 'Registers the next version of a model (created on first use) from a FINISHED run of the same project. Needs CONTRIBUTOR.',
  })
  registerModelVersion(@Arg('input') input: RegisterModelVersionInput, @Ctx() ctx: Context): Promise<ModelVersion> {
    return this.models.register(signedIn(ctx), input);
  }

  @Authorized('VIEWER')
  @Query(() => ModelVersion, { nullable: true, description: 'A model version by id; null when missing or not readable. Needs VIEWER.' })
  async modelVersion(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ModelVersion | null> {
    return readableOnly(ctx, [await ctx.loaders.modelVersionById.load(id)])[0] ?? null;
  }

  @FieldResolver(() => RegisteredModel, { description: 'The registered model this is a version of.' })
  async model(@Root() version: ModelVersion, @Ctx() ctx: Context): Promise<RegisteredModel> {
    return (await ctx.loaders.registeredModelById.load(version.modelId)) as RegisteredModel;
  }

  @FieldResolver(() => Run, { description: 'The run that trained this version.' })
  async sourceRun(@Root() version: ModelVersion, @Ctx() ctx: Context): Promise<Run> {
    return (await ctx.loaders.runById.load(version.runId)) as Run;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who registered the version.' })
  createdBy(@Root() version: ModelVersion, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.userById.load(version.createdBy);
  }

  @FieldResolver(() => StoredArtifact, {
    nullable: true,
    description: "The version's bytes in Pedigree's artifact store (uploaded to the source run): size, media type and download link. Null when the model is stored elsewhere (artifactUri).",
  })
  async artifact(@Root() version: ModelVersion, @Ctx() ctx: Context): Promise<StoredArtifact | null> {
    const uploaded = (await ctx.loaders.artifactsByRunId.load(version.runId)).find((artifact) => artifact.stored && artifact.digest === version.artifactDigest);
    if (!uploaded) return null;
    return { digest: version.artifactDigest, sizeBytes: uploaded.sizeBytes as number, mediaType: uploaded.mediaType ?? 'application/octet-stream', downloadUrl: downloadPath(version.artifactDigest) };
  }
}
