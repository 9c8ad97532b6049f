'use client';

import {
  Controls,
  MarkerType,
  ReactFlow,
  type DefaultEdgeOptions,
  type FitViewOptions,
  type NodeMouseHandler,
  type NodeTypes,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useRouter } from 'next/navigation';
import { useMemo } from 'react';
import type { ExplorerGraph } from './graph';
import { layoutLineage, type LineageFlowNode } from './layout';
import { KIND_CLASS, LineageNode } from './lineage-node';
import { NODE_KIND_LABELS, NODE_KINDS } from './node-kinds';
import styles from './lineage-graph.module.css';

// Module constants: React Flow re-registers node types and edge defaults whenever their identity changes.
const NODE_TYPES: NodeTypes = { lineage: LineageNode };
// interactionWidth 0: edges are not clickable here, so React Flow need not draw a second, wide path per edge.
const EDGE_OPTIONS: DefaultEdgeOptions = {
  markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
  interactionWidth: 0,
};
// The left margin keeps the zoom buttons (bottom left) from covering the first column of nodes.
const FIT_VIEW_OPTIONS: FitViewOptions = { padding: { top: '16px', bottom: '16px', right: '16px', left: '56px' }, maxZoom: 1.25 };

/** The laid-out lineage graph, read-only: pan and zoom it, open a node by its link. */
export function LineageGraph({ graph, label }: { graph: ExplorerGraph; label: string }) {
  // Layout is the expensive step (dagre on the whole graph), so it runs once per answer, not per render.
  const { nodes, edges, width, height } = useMemo(() => layoutLineage(graph), [graph]);
  const router = useRouter();

  // Opens a node in the app; a modified click (new tab, new window) is left to the browser.
  const openNode: NodeMouseHandler<LineageFlowNode> = (event, node) => {
    if (!node.data.href || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    router.push(node.data.href);
  };

  return (
    <>
      <ul className={styles.legend} aria-label="Node kinds">
        {NODE_KINDS.map((kind) => (
          <li key={kind}>
            <span className={`${styles.swatch} ${KIND_CLASS[kind]}`} aria-hidden="true" />
            {NODE_KIND_LABELS[kind]}
          </li>
        ))}
        <li>
          <span className={`${styles.swatch} ${styles.redacted}`} aria-hidden="true" />
          Hidden (another project)
        </li>
      </ul>
      {/* The canvas takes the drawing's proportions (within the stylesheet's bounds), so a small graph fills its box. */}
      <div className={styles.canvas} style={{ aspectRatio: `${width} / ${height}` }} role="group" aria-label={label}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          onNodeClick={openNode}
          defaultEdgeOptions={EDGE_OPTIONS}
          fitView
          fitViewOptions={FIT_VIEW_OPTIONS}
          minZoom={0.02}
          maxZoom={2}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          deleteKeyCode={null}
          colorMode="system"
        >
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </>
  );
}
