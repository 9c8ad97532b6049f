'use client';

import { useEffect, useRef, useState, useTransition } from 'react';
import { loadLineage, type LineageResult } from './actions';
import { ExplorerControls, type ExplorerSettings } from './explorer-controls';
import type { ExplorerGraph } from './graph';
import { LineageGraph } from './lineage-graph';
import { NODE_KIND_LABELS } from './node-kinds';
import styles from './lineage-explorer.module.css';

// The API's own defaults: 20 hops, 500 nodes.
const INITIAL_SETTINGS: ExplorerSettings = { direction: 'BOTH', depth: 20, limit: 500 };

/** The lineage graph around one node, with direction, depth and size controls. */
export function LineageExplorer({ nodeId }: { nodeId: string }) {
  const [settings, setSettings] = useState(INITIAL_SETTINGS);
  // Numbered by request, so each new answer remounts the graph and React Flow fits it to the view.
  const [result, setResult] = useState<{ request: number; answer: LineageResult }>();
  const [pending, startTransition] = useTransition();
  // Only the answer to the latest request is shown, whatever order the answers arrive in.
  const latestRequest = useRef(0);

  useEffect(() => {
    const request = ++latestRequest.current;
    startTransition(async () => {
      const answer = await loadLineage({ nodeId, ...settings });
      if (request === latestRequest.current) setResult({ request, answer });
    });
  }, [nodeId, settings]);

  const answer = result?.answer;
  return (
    <div className={styles.explorer} aria-busy={pending}>
      <ExplorerControls settings={settings} onChange={setSettings} />
      {answer && 'error' in answer ? (
        <p role="alert" className="alert">
          {answer.error}
        </p>
      ) : null}
      {pending ? (
        <p role="status" className={styles.status}>
          Loading lineage…
        </p>
      ) : null}
      {answer && 'graph' in answer ? <DrawnGraph key={result.request} graph={answer.graph} stale={pending} /> : null}
    </div>
  );
}

function DrawnGraph({ graph, stale }: { graph: ExplorerGraph; stale: boolean }) {
  const start = graph.nodes.find((node) => node.depth === 0);
  const startName = start ? `${NODE_KIND_LABELS[start.kind]} ${start.redacted ? '(hidden)' : start.label}` : undefined;
  return (
    <div className={stale ? styles.stale : undefined}>
      <p className={styles.summary}>
        {startName ? <>From <strong>{startName}</strong>: </> : null}
        {count(graph.nodes.length, 'node')}, {count(graph.edges.length, 'edge')}
        {graph.edges.length === 0 ? ' — nothing recorded in this direction.' : '.'}
      </p>
      {graph.truncated ? (
        <p role="status" className={styles.truncated}>
          <strong>Truncated:</strong> there is more lineage beyond these {count(graph.nodes.length, 'node')}. Raise
          the depth or the node limit, or narrow the direction, to see more.
        </p>
      ) : null}
      <LineageGraph graph={graph} label={startName ? `Lineage graph of ${startName}` : 'Lineage graph'} />
    </div>
  );
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
}
