import dagre from '@dagrejs/dagre';
import type { Edge, Node } from '@xyflow/react';
import type { LineageRelation } from '@/gql/graphql';
import type { ExplorerGraph, ExplorerNode } from './graph';

const NODE_WIDTH = 220;
const NODE_HEIGHT = 54;

/**
 * Up to this many nodes the layout reduces edge crossings and labels edges with data roles. On a
 * 500-node graph in a cold browser they cost about 0.3 s (dagre's crossing reduction) and 0.1 s
 * (measuring labels) of a one-second budget, and a graph that large, zoomed out to fit, shows
 * neither legibly anyway.
 */
const DETAILED_MAX_NODES = 200;

const RELATION_LABELS: Record<LineageRelation, string> = {
  BUILT_FROM: 'Built from',
  CONSUMED: 'Consumed',
  DERIVED_FROM: 'Derived',
  PARENT_OF: 'Parent of',
  PRODUCED: 'Produced',
  TRAINED: 'Trained',
};

export type LineageFlowNode = Node<ExplorerNode, 'lineage'>;

export interface LineageLayout {
  nodes: LineageFlowNode[];
  edges: Edge[];
  /** The size of the whole drawing, in graph units. */
  width: number;
  height: number;
}

/**
 * Positions the graph left to right, the way data flows (edges point from input to output), for
 * @xyflow/react. Every node has the same fixed size, so the layout needs no DOM measurement and
 * React Flow can draw each node as soon as it mounts.
 */
export function layoutLineage(graph: ExplorerGraph): LineageLayout {
  const layout = new dagre.graphlib.Graph();
  // tight-tree ranks a 500-node lineage graph in a third of network-simplex's time, and lineage graphs
  // are close enough to trees that the ranks come out alike.
  layout.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 64, marginx: 8, marginy: 8, ranker: 'tight-tree' });
  layout.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) layout.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const labels = new Map(graph.nodes.map((node) => [node.id, node.redacted ? `hidden ${node.kind}` : node.label]));
  const edges = graph.edges.filter((edge) => labels.has(edge.from) && labels.has(edge.to));
  for (const edge of edges) layout.setEdge(edge.from, edge.to);
  const detailed = graph.nodes.length <= DETAILED_MAX_NODES;
  dagre.layout(layout, { disableOptimalOrderHeuristic: !detailed });

  const { width = 0, height = 0 } = layout.graph();
  return {
    width,
    height,
    nodes: graph.nodes.map((node) => {
      const { x, y } = layout.node(node.id);
      return {
        id: node.id,
        type: 'lineage',
        // dagre gives centres, React Flow wants top-left corners.
        position: { x: (x ?? 0) - NODE_WIDTH / 2, y: (y ?? 0) - NODE_HEIGHT / 2 },
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        data: node,
      };
    }),
    edges: edges.map((edge) => ({
      id: `${edge.from}-${edge.relation}-${edge.role ?? ''}-${edge.to}`,
      source: edge.from,
      target: edge.to,
      label: detailed && edge.role ? edge.role.toLowerCase() : undefined,
      // Read out instead of React Flow's default, which names the two ends by id.
      ariaLabel: `${RELATION_LABELS[edge.relation]}: ${labels.get(edge.from)} to ${labels.get(edge.to)}`,
    })),
  };
}
