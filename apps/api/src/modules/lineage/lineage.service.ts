import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { badInput } from '../../common/errors/app-error';
import { LineageEdge } from './lineage-edge.entity';
import { LineageNode } from './lineage-node.entity';
import type { DataRole, LineageRelation, NodeKind } from './lineage.types';

export interface NewEdge {
  srcId: string;
  dstId: string;
  relation: LineageRelation;
  role?: DataRole | null;
}

/** Creates the node row of a new lineage entity and returns its id, unique across all kinds. */
export async function createLineageNode(manager: EntityManager, kind: NodeKind, projectId: string): Promise<string> {
  const id = randomUUID();
  await manager.insert(LineageNode, { id, kind, projectId });
  return id;
}

/**
 * Appends edges, skipping ones already recorded, and refuses any edge that would close a cycle:
 * lineage is a DAG, so a new edge src->dst is a loop exactly when src is already downstream of dst.
 * One walk per distinct destination, so a run with a thousand inputs costs one query.
 */
export async function addLineageEdges(manager: EntityManager, projectId: string, edges: NewEdge[]): Promise<void> {
  if (edges.length === 0) return;
  const sourcesByDestination = new Map<string, string[]>();
  for (const edge of edges) {
    if (edge.srcId === edge.dstId) throw badInput(`A node cannot be its own input: ${edge.srcId} (${edge.relation})`);
    sourcesByDestination.set(edge.dstId, [...(sourcesByDestination.get(edge.dstId) ?? []), edge.srcId]);
  }
  for (const [dstId, srcIds] of sourcesByDestination) {
    const [loop] = await manager.query(
      // UNION on the id alone visits each node once, so the walk ends on any graph.
      `WITH RECURSIVE downstream(id) AS (
         SELECT $1::uuid
         UNION
         SELECT e.dst_id FROM lineage_edge e JOIN downstream d ON e.src_id = d.id
       )
       SELECT id FROM downstream WHERE id = ANY($2::uuid[]) LIMIT 1`,
      [dstId, srcIds],
    );
    if (loop) {
      throw badInput(`Linking ${loop.id} into ${dstId} would close a loop: ${loop.id} is already downstream of ${dstId}. Lineage must stay acyclic.`, { loop: [dstId, loop.id] });
    }
  }
  await manager
    .createQueryBuilder()
    .insert()
    .into(LineageEdge)
    .values(edges.map((edge) => ({ ...edge, role: edge.role ?? null, projectId })))
    .orIgnore()
    .execute();
}
