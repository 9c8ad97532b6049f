import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { orNull } from '../../common/loaders';
import { ConnectionType, type Page } from '../../common/pagination/connection';
import { type Context, readableOnly, signedIn } from '../../context';
import { CodeCommit } from '../commit/code-commit.entity';
import { DataVersion } from '../data-version/data-version.entity';
import { DataRole, LineageRelation, NodeKind } from '../lineage/lineage.types';
import { ModelVersion } from '../model/model.entity';
import { User } from '../user/user.entity';
import { Experiment, Metric, Run, RunArtifact, RunParam, RunTag } from './run.entity';
import { FinishRunInput, LogMetricsInput, LogMetricsPayload, StartRunInput } from './run.inputs';
import type { SearchService } from '../search/search.service';
import type { RunService } from './run.service';

export const RunConnection = ConnectionType('Run', Run);

@ObjectType('RunInput', { description: 'A data version a run read, and how it used it.' })
export class RunInput {
  @Field(() => DataRole, { description: 'TRAIN, VALIDATION, TEST or OTHER.' })
  role!: DataRole;

  @Field(() => ID, { description: 'The data version id, shown even when its project is hidden from the viewer.' })
  dataVersionId!: string;

  @Field(() => DataVersion, { nullable: true, description: 'The data version; null when it lives in a project the viewer cannot read.' })
  dataVersion!: DataVersion | null;

  @Field({ description: 'True when the data version is hidden from the viewer.' })
  redacted!: boolean;
}

@Resolver(() => Run)
export class RunResolver {
  constructor(
    private readonly runService: RunService,
    private readonly search: SearchService,
  ) {}

  @Authorized('CONTRIBUTOR')
  @Mutation(() => Run, {
    description: 'Starts a run with its commit, inputs, params and tags, all fixed from then on. Needs CONTRIBUTOR, and VIEWER on any commit, data or base model it reads.',
  })
  startRun(@Arg('input') input: StartRunInput, @Ctx() ctx: Context): Promise<Run> {
    return this.runService.start(signedIn(ctx), input);
  }

  @Authorized('CONTRIBUTOR')
  @Mutation(() => LogMetricsPayload, { description: 'Appends up to 1,000 metric points to a RUNNING run. Needs CONTRIBUTOR.' })
  logMetrics(@Arg('input') input: LogMetricsInput, @Ctx() ctx: Context): Promise<LogMetricsPayload> {
    return this.runService.logMetrics(signedIn(ctx), input);
  }

  @Authorized('CONTRIBUTOR')
  @Mutation(() => Run, { description: 'Ends a RUNNING run with its status, outputs and artifacts; after this the run never changes. Needs CONTRIBUTOR.' })
  finishRun(@Arg('input') input: FinishRunInput, @Ctx() ctx: Context): Promise<Run> {
    return this.runService.finish(signedIn(ctx), input);
  }

  @Authorized('VIEWER')
  @Query(() => Run, { nullable: true, description: 'A run by id; null when missing or not readable. Needs VIEWER.' })
  async run(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Run | null> {
    const [run] = readableOnly(ctx, [await ctx.loaders.runById.load(id)]);
    return run ?? null;
  }

  @Authorized('VIEWER')
  @Query(() => RunConnection, {
    description:
      'Runs of a project. `filter` is the search language (e.g. `metrics.val_auc > 0.9 and params.optimizer = "adam" and (tags.team = "fraud" or status = "FAILED")`; MLflow search strings work too); `orderBy` terms like "metrics.val_auc DESC" (default "startedAt DESC"). Needs VIEWER.',
  })
  runs(
    @Arg('project') project: string,
    @Arg('filter', () => String, { nullable: true }) filter: string | null,
    @Arg('orderBy', () => [String], { nullable: true, description: 'Up to 5 terms, "field [ASC|DESC]".' }) orderBy: string[] | null,
    @Arg('first', () => Int, { nullable: true, description: '1 to 100; default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<Page<Run>> {
    return this.search.runs(signedIn(ctx), project, filter, orderBy, first, after);
  }

  @FieldResolver(() => Experiment, { description: 'The experiment the run belongs to.' })
  async experiment(@Root() run: Run, @Ctx() ctx: Context): Promise<Experiment> {
    return (await ctx.loaders.experimentById.load(run.experimentId)) as Experiment;
  }

  @FieldResolver(() => CodeCommit, { nullable: true, description: 'The code the run executed; null if unrecorded or not readable.' })
  async commit(@Root() run: Run, @Ctx() ctx: Context): Promise<CodeCommit | null> {
    if (!run.commitId) return null;
    return readableOnly(ctx, [await ctx.loaders.commitById.load(run.commitId)])[0] ?? null;
  }

  @FieldResolver(() => [RunParam], { description: 'Parameters, by key.' })
  params(@Root() run: Run, @Ctx() ctx: Context): Promise<RunParam[]> {
    return ctx.loaders.paramsByRunId.load(run.id);
  }

  @FieldResolver(() => [RunTag], { description: 'Tags, by key.' })
  tags(@Root() run: Run, @Ctx() ctx: Context): Promise<RunTag[]> {
    return ctx.loaders.tagsByRunId.load(run.id);
  }

  @FieldResolver(() => [Metric], { description: 'The latest point of each metric (highest step, then latest time), by key.' })
  metrics(@Root() run: Run, @Ctx() ctx: Context): Promise<Metric[]> {
    return ctx.loaders.latestMetricsByRunId.load(run.id);
  }

  @FieldResolver(() => [Metric], { description: 'Every point of one metric, by step then time.' })
  metricHistory(@Root() run: Run, @Arg('key') key: string, @Ctx() ctx: Context): Promise<Metric[]> {
    return ctx.loaders.metricHistoryByRunAndKey.load(JSON.stringify([run.id, key]));
  }

  @FieldResolver(() => [RunInput], { description: 'The data versions the run read, with their roles.' })
  async inputs(@Root() run: Run, @Ctx() ctx: Context): Promise<RunInput[]> {
    const edges = (await ctx.loaders.incomingEdgesByNodeId.load(run.id)).filter(
      (edge) => edge.relation === LineageRelation.CONSUMED && edge.otherKind === NodeKind.DataVersion,
    );
    const versions = orNull(await ctx.loaders.dataVersionById.loadMany(edges.map((edge) => edge.otherId)));
    return edges.map((edge, index) => {
      const [dataVersion] = readableOnly(ctx, [versions[index]]);
      return { role: edge.role ?? DataRole.OTHER, dataVersionId: edge.otherId, dataVersion: dataVersion ?? null, redacted: !dataVersion };
    });
  }

  @FieldResolver(() => [DataVersion], { description: 'The data versions the run produced (those the viewer may read).' })
  async outputs(@Root() run: Run, @Ctx() ctx: Context): Promise<DataVersion[]> {
    const edges = (await ctx.loaders.outgoingEdgesByNodeId.load(run.id)).filter((edge) => edge.relation === LineageRelation.PRODUCED);
    return readableOnly(ctx, orNull(await ctx.loaders.dataVersionById.loadMany(edges.map((edge) => edge.otherId))));
  }

  @FieldResolver(() => [ModelVersion], { description: 'Registered model versions the run fine-tuned or distilled from (those the viewer may read).' })
  async baseModelVersions(@Root() run: Run, @Ctx() ctx: Context): Promise<ModelVersion[]> {
    const edges = (await ctx.loaders.incomingEdgesByNodeId.load(run.id)).filter(
      (edge) => edge.relation === LineageRelation.CONSUMED && edge.otherKind === NodeKind.ModelVersion,
    );
    return readableOnly(ctx, orNull(await ctx.loaders.modelVersionById.loadMany(edges.map((edge) => edge.otherId))));
  }

  @FieldResolver(() => [ModelVersion], { description: 'Model versions registered from this run.' })
  async modelVersions(@Root() run: Run, @Ctx() ctx: Context): Promise<ModelVersion[]> {
    return readableOnly(ctx, await ctx.loaders.versionsByRunId.load(run.id));
  }

  @FieldResolver(() => [RunArtifact], { description: 'Files the run produced, by path.' })
  artifacts(@Root() run: Run, @Ctx() ctx: Context): Promise<RunArtifact[]> {
    return ctx.loaders.artifactsByRunId.load(run.id);
  }

  @FieldResolver(() => Run, { nullable: true, description: 'The parent run of a nested run.' })
  async parent(@Root() run: Run, @Ctx() ctx: Context): Promise<Run | null> {
    return run.parentRunId ? ctx.loaders.runById.load(run.parentRunId) : null;
  }

  @FieldResolver(() => [Run], { description: 'Nested runs, oldest first.' })
  children(@Root() run: Run, @Ctx() ctx: Context): Promise<Run[]> {
    return ctx.loaders.childRunsByRunId.load(run.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who started the run.' })
  createdBy(@Root() run: Run, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.userById.load(run.createdBy);
  }
}
