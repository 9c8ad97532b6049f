import type { NodeKind } from '@/gql/graphql';

/** How each kind of lineage node is named in the UI. */
export const NODE_KIND_LABELS: Record<NodeKind, string> = {
  CodeCommit: 'Commit',
  DataVersion: 'Data version',
  Run: 'Run',
  ModelVersion: 'Model version',
};

/** Kinds in the order data flows through them, for legends and lists. */
export const NODE_KINDS: NodeKind[] = ['CodeCommit', 'DataVersion', 'Run', 'ModelVersion'];
