'use server';

import { graphql } from '@/gql';
import type { LineageDirection, LineageExplorerQuery } from '@/gql/graphql';
import { makeApolloClient } from '@/lib/apollo/client';
import { apiErrorOf } from '@/lib/apollo/errors';
import { readSessionToken } from '@/lib/session';
import type { ExplorerGraph, ExplorerNode, LineageRequest } from './graph';
import { lineageHref, modelVersionHref, runHref } from './node-links';

// Typed by src/gql (npm run codegen): the string must match the generated one exactly.
const LINEAGE = graphql(`
  query LineageExplorer($nodeId: ID!, $direction: LineageDirection!, $depth: Int!, $limit: Int!) {
    lineage(nodeId: $nodeId, direction: $direction, depth: $depth, limit: $limit) {
      truncated
      nodes {
        id
        kind
        label
        redacted
        depth
        node {
          __typename
          id
          project {
            id
            key
          }
          ... on CodeCommit {
            sha
          }
          ... on Run {
            status
          }
          ... on ModelVersion {
            version
            stage
            model {
              id
              name
            }
          }
        }
      }
      edges {
        from
        to
        relation
        role
      }
    }
  }
`);

type LineageNode = LineageExplorerQuery['lineage']['nodes'][number];

const DIRECTIONS: LineageDirection[] = ['UPSTREAM', 'DOWNSTREAM', 'BOTH'];
const MAX_DEPTH = 100;
/** Well under the API's 10,000: past a few thousand nodes a drawn graph stops being readable. */
const MAX_LIMIT = 2000;

export type LineageResult = { graph: ExplorerGraph } | { error: string };

/** The lineage around a node, as the signed-in viewer may see it. */
export async function loadLineage(request: LineageRequest): Promise<LineageResult> {
  // A server action is a public endpoint: its arguments are checked like any request body.
  if (!DIRECTIONS.includes(request.direction)) return { error: 'Choose upstream, downstream or both.' };
  const depth = clampInteger(request.depth, 1, MAX_DEPTH);
  const limit = clampInteger(request.limit, 1, MAX_LIMIT);
  try {
    const client = makeApolloClient(await readSessionToken());
    const { data } = await client.query({
      query: LINEAGE,
      variables: { nodeId: String(request.nodeId), direction: request.direction, depth, limit },
    });
    if (!data) return { error: 'The Pedigree API returned no lineage.' };
    const { nodes, edges, truncated } = data.lineage;
    return {
      graph: {
        nodes: nodes.map(toExplorerNode),
        edges: edges.map(({ from, to, relation, role }) => ({ from, to, relation, role: role ?? null })),
        truncated,
      },
    };
  } catch (error) {
    const apiError = apiErrorOf(error);
    if (!apiError) console.error('Lineage request failed', error);
    return { error: apiError?.message || 'Could not reach the Pedigree API. Try again in a moment.' };
  }
}

function toExplorerNode({ id, kind, label, redacted, depth, node }: LineageNode): ExplorerNode {
  const base = { id, kind, label, redacted, depth, detail: null, href: null };
  if (redacted || !node) return base;
  switch (node.__typename) {
    // Long repository names cut the label short; the kind line keeps the sha in view.
    case 'CodeCommit':
      return { ...base, detail: node.sha.slice(0, 7), href: lineageHref(id, node.project.key) };
    case 'Run':
      return { ...base, detail: capitalized(node.status), href: runHref(id) };
    case 'ModelVersion':
      return { ...base, detail: capitalized(node.stage), href: modelVersionHref(node.project.key, node.model.name, node.version) };
    default:
      return { ...base, href: lineageHref(id, node.project.key) };
  }
}

/** "FINISHED" → "Finished". */
function capitalized(value: string): string {
  return value.charAt(0) + value.slice(1).toLowerCase();
}

function clampInteger(value: number, min: number, max: number): number {
  const whole = Number.isFinite(value) ? Math.round(value) : min;
  return Math.min(Math.max(whole, min), max);
}
