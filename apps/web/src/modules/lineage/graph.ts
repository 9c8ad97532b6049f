import type { DataRole, LineageDirection, LineageRelation, NodeKind } from '@/gql/graphql';

/** What the explorer asks for. */
export interface LineageRequest {
  nodeId: string;
  direction: LineageDirection;
  /** Hops from the start node. */
  depth: number;
  /** Most nodes to return; beyond it the answer is truncated. */
  limit: number;
}

/** A lineage answer reduced to what the explorer draws: plain data, so a server action can return it. */
export interface ExplorerGraph {
  nodes: ExplorerNode[];
  edges: ExplorerEdge[];
  truncated: boolean;
}

// A type, not an interface: React Flow's node data must be assignable to Record<string, unknown>.
export type ExplorerNode = {
  id: string;
  kind: NodeKind;
  label: string;
  redacted: boolean;
  /** Hops from the start node, which has depth 0. */
  depth: number;
  /** Shown beside the kind: a run's status, a model version's stage, a commit's short sha. */
  detail: string | null;
  /** Where opening the node goes; null for a redacted node, which the viewer cannot open. */
  href: string | null;
};

export interface ExplorerEdge {
  from: string;
  to: string;
  relation: LineageRelation;
  role: DataRole | null;
}
