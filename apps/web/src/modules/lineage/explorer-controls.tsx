'use client';

import { useId } from 'react';
import type { LineageDirection } from '@/gql/graphql';
import styles from './lineage-explorer.module.css';

export interface ExplorerSettings {
  direction: LineageDirection;
  depth: number;
  limit: number;
}

const DIRECTIONS: Array<{ value: LineageDirection; label: string }> = [
  { value: 'UPSTREAM', label: 'Upstream' },
  { value: 'DOWNSTREAM', label: 'Downstream' },
  { value: 'BOTH', label: 'Both' },
];
const DEPTHS = [1, 2, 3, 5, 10, 20, 50, 100];
const LIMITS = [100, 500, 1000, 2000];

/** Direction, depth and node limit; every change applies at once. */
export function ExplorerControls({
  settings,
  onChange,
}: {
  settings: ExplorerSettings;
  onChange: (settings: ExplorerSettings) => void;
}) {
  const id = useId();
  return (
    <div className={styles.controls}>
      <fieldset className={styles.directions}>
        <legend>Direction</legend>
        {DIRECTIONS.map(({ value, label }) => (
          <label key={value} className={styles.direction}>
            <input
              type="radio"
              name={`${id}-direction`}
              value={value}
              checked={settings.direction === value}
              onChange={() => onChange({ ...settings, direction: value })}
            />
            <span>{label}</span>
          </label>
        ))}
      </fieldset>
      <div className={styles.select}>
        <label htmlFor={`${id}-depth`}>Depth</label>
        <select
          id={`${id}-depth`}
          value={settings.depth}
          onChange={(event) => onChange({ ...settings, depth: Number(event.target.value) })}
        >
          {DEPTHS.map((depth) => (
            <option key={depth} value={depth}>
              {depth === 1 ? '1 hop' : `${depth} hops`}
            </option>
          ))}
        </select>
      </div>
      <div className={styles.select}>
        <label htmlFor={`${id}-limit`}>Max nodes</label>
        <select
          id={`${id}-limit`}
          value={settings.limit}
          onChange={(event) => onChange({ ...settings, limit: Number(event.target.value) })}
        >
          {LIMITS.map((limit) => (
            <option key={limit} value={limit}>
              {limit.toLocaleString('en')}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
