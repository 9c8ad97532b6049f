import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { orNull } from '../../common/loaders';
import { type Context, readableOnly, signedIn } from '../../context';
import { LineageRelation } from '../lineage/lineage.types';
import { Run } from '../run/run.entity';
import { DataVersion, Dataset } from './data-version.entity';
import { RegisterDataVersionInput } from './data-version.inputs';
import type { DataVersionService } from './data-version.service';

@Resolver(() => DataVersion)
export class DataVersionResolver {
  constructor(private readonly dataVersions: DataVersionService) {}

  @Authorized('CONTRIBUTOR')
  @Mutation(() => DataVersion, {
    description: 'Registers one content of a dataset; idempotent on (dataset, contentHash). Needs CONTRIBUTOR, and VIEWER on any data it derives from.',
  })
  registerDataVersion(@Arg('input') input: RegisterDataVersionInput, @Ctx() ctx: Context): Promise<DataVersion> {
    return this.dataVersions.register(signedIn(ctx), input);
  }

  @FieldResolver(() => Dataset, { description: 'The dataset this is a version of.' })
  async dataset(@Root() version: DataVersion, @Ctx() ctx: Context): Promise<Dataset> {
    return (await ctx.loaders.datasetById.load(version.datasetId)) as Dataset;
  }

  @FieldResolver(() => [DataVersion], { description: 'The data versions this one was derived from (those the viewer may read).' })
  async derivedFrom(@Root() version: DataVersion, @Ctx() ctx: Context): Promise<DataVersion[]> {
    const edges = await ctx.loaders.incomingEdgesByNodeId.load(version.id);
    const ids = edges.filter((edge) => edge.relation === LineageRelation.DERIVED_FROM).map((edge) => edge.otherId);
    return readableOnly(ctx, await ctx.loaders.dataVersionById.loadMany(ids).then(orNull));
  }

  @FieldResolver(() => Run, { nullable: true, description: 'The run that produced this version, if recorded and readable.' })
  async producedBy(@Root() version: DataVersion, @Ctx() ctx: Context): Promise<Run | null> {
    const edges = await ctx.loaders.incomingEdgesByNodeId.load(version.id);
    const producer = edges.find((edge) => edge.relation === LineageRelation.PRODUCED);
    if (!producer) return null;
    const [run] = readableOnly(ctx, [await ctx.loaders.runById.load(producer.otherId)]);
    return run ?? null;
  }
}

