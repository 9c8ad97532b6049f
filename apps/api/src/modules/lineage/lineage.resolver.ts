import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { type Context, signedIn } from '../../context';
import { nodeLoaderOfKind } from '../../loaders';
import { ImpactReport, LineageDirection, LineageGraph, LineageGraphNode, NodeMatch, Provenance } from './lineage.graph';
import type { LineageService } from './lineage.service';
import { Node } from './node.interface';

@Resolver(() => LineageGraphNode)
export class LineageResolver {
  constructor(private readonly lineageService: LineageService) {}

  @Authorized('VIEWER')
  @Query(() => LineageGraph, {
    description: 'The lineage around a node, in one walk: depth 0-100 hops (default 20), at most `limit` nodes (1-10,000, default 500), as recorded by `asOf` when given. Needs VIEWER on the start node.',
  })
  lineage(
    @Arg('nodeId', () => ID) nodeId: string,
    @Arg('direction', () => LineageDirection) direction: LineageDirection,
    @Arg('depth', () => Int, { nullable: true }) depth: number | null,
    @Arg('limit', () => Int, { nullable: true }) limit: number | null,
    @Arg('asOf', () => Date, { nullable: true }) asOf: Date | null,
    @Ctx() ctx: Context,
  ): Promise<LineageGraph> {
    return this.lineageService.lineage(signedIn(ctx), nodeId, direction, depth, limit, asOf);
  }

  @Authorized('VIEWER')
  @Query(() => ImpactReport, {
    description: 'Every model version downstream of a commit, data version, run or model version, PRODUCTION first, paged by `first` (1-100) and `after`; `complete` says whether the walk reached everything. Needs VIEWER on the start node.',
  })
  impact(
    @Arg('nodeId', () => ID) nodeId: string,
    @Arg('asOf', () => Date, { nullable: true }) asOf: Date | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('maxNodes', () => Int, { nullable: true, description: 'Nodes the walk may visit, at most 1,000,000 (the default).' }) maxNodes: number | null,
    @Ctx() ctx: Context,
  ): Promise<ImpactReport> {
    return this.lineageService.impact(signedIn(ctx), nodeId, asOf, first, after, maxNodes);
  }

  @Authorized('VIEWER')
  @Query(() => Provenance, { description: 'Where a model version came from: commits, data, runs and environment, and what the record lacks. Needs VIEWER.' })
  provenance(@Arg('modelVersionId', () => ID) modelVersionId: string, @Arg('asOf', () => Date, { nullable: true }) asOf: Date | null, @Ctx() ctx: Context): Promise<Provenance> {
    return this.lineageService.provenance(signedIn(ctx), modelVersionId, asOf);
  }

  @Authorized('VIEWER')
  @Query(() => LineageGraph, { nullable: true, description: 'One shortest path between two nodes (up to 100 hops, either way round), or null. Needs VIEWER on both.' })
  explainPath(@Arg('fromId', () => ID) fromId: string, @Arg('toId', () => ID) toId: string, @Ctx() ctx: Context): Promise<LineageGraph | null> {
    return this.lineageService.explainPath(signedIn(ctx), fromId, toId);
  }

  @Authorized('VIEWER')
  @Query(() => [NodeMatch], { description: 'Nodes of a project matching a commit sha or content-hash prefix (4+ hex characters), a run or model name prefix, or an id; at most `first` (1-100, default 20). Needs VIEWER.' })
  findNodes(@Arg('project') project: string, @Arg('text') text: string, @Arg('first', () => Int, { nullable: true }) first: number | null, @Ctx() ctx: Context): Promise<NodeMatch[]> {
    return this.lineageService.findNodes(signedIn(ctx), project, text, first);
  }

  @FieldResolver(() => Node, { nullable: true, description: 'The typed node (select its fields with `... on Run { name }`); null when redacted.' })
  node(@Root() node: LineageGraphNode, @Ctx() ctx: Context): Promise<Node | null> | null {
    return node.redacted ? null : (nodeLoaderOfKind(ctx.loaders, node.kind).load(node.id) as Promise<Node | null>);
  }
}
