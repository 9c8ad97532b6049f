import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { type Context, readableOnly } from '../../context';
import { nodeLoaderOfKind } from '../../loaders';
import { Project } from '../project/project.entity';
import { Node } from './node.interface';

type NodeRow = Node & { projectId: string };

@Resolver(() => Node)
export class NodeResolver {
  @Authorized('VIEWER')
  @Query(() => Node, { nullable: true, description: 'Any lineage node by id; null when missing or in a project the viewer cannot read. Needs VIEWER.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Node | null> {
    const kind = await ctx.loaders.nodeKindById.load(id);
    if (!kind) return null;
    const row = (await nodeLoaderOfKind(ctx.loaders, kind).load(id)) as NodeRow | null;
    return readableOnly(ctx, [row])[0] ?? null;
  }

  @FieldResolver(() => Project, { description: 'The project the node belongs to.' })
  async project(@Root() node: NodeRow, @Ctx() ctx: Context): Promise<Project> {
    return (await ctx.loaders.projectById.load(node.projectId)) as Project;
  }
}
