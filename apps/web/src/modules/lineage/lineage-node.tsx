'use client';

import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { NodeKind } from '@/gql/graphql';
import type { LineageFlowNode } from './layout';
import { NODE_KIND_LABELS } from './node-kinds';
import styles from './lineage-graph.module.css';

export const KIND_CLASS: Record<NodeKind, string> = {
  CodeCommit: styles.commit,
  DataVersion: styles.data,
  Run: styles.run,
  ModelVersion: styles.model,
};

/**
 * One node of the graph: a plain link, which LineageGraph's onNodeClick opens client-side, so a
 * 500-node graph mounts 500 small elements and no per-node hooks beyond React Flow's handles.
 */
export const LineageNode = memo(function LineageNode({ data }: NodeProps<LineageFlowNode>) {
  const kind = NODE_KIND_LABELS[data.kind];
  const name = data.redacted
    ? `${kind} in a project you cannot read`
    : `${kind} ${data.label}${data.detail ? `, ${data.detail}` : ''}`;
  const className = [styles.node, data.redacted ? styles.redacted : KIND_CLASS[data.kind], data.depth === 0 ? styles.start : '']
    .filter(Boolean)
    .join(' ');
  const content = (
    <>
      <span className={styles.kind}>
        {kind}
        {data.detail ? <span className={styles.detail}> · {data.detail}</span> : null}
      </span>
      <span className={styles.label}>{data.redacted ? 'Hidden' : data.label}</span>
    </>
  );
  return (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} className={styles.handle} />
      {data.href ? (
        <a href={data.href} className={className} title={name} aria-label={name} data-node-kind={data.kind}>
          {content}
        </a>
      ) : (
        <div
          className={className}
          title={name}
          data-node-kind={data.kind}
          data-redacted={data.redacted || undefined}
        >
          {content}
        </div>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} className={styles.handle} />
    </>
  );
});
