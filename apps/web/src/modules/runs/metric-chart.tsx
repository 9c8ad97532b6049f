'use client';

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatMetric } from '@/lib/format';
import styles from './metric-chart.module.css';

const HEIGHT = 200;

/** One metric over its steps, drawn on a canvas by uPlot; the caption says the numbers in words. */
export function MetricChart({ metricKey, steps, values }: { metricKey: string; steps: number[]; values: number[] }) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    // Canvas strokes cannot read CSS variables, so the theme's colours are resolved once here.
    const theme = getComputedStyle(element);
    const color = (name: string, fallback: string) => theme.getPropertyValue(name).trim() || fallback;
    const axis = { stroke: color('--muted', '#5b6474'), grid: { stroke: color('--border', '#dde1e8') } };
    const chart = new uPlot(
      {
        width: element.clientWidth,
        height: HEIGHT,
        scales: { x: { time: false } },
        axes: [{ ...axis, label: 'step' }, axis],
        series: [{ label: 'step' }, { label: metricKey, stroke: color('--accent', '#2f5bd3'), width: 2 }],
      },
      [steps, values],
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [metricKey, steps, values]);

  return (
    <figure className={styles.chart}>
      <figcaption>
        <strong>{metricKey}</strong>{' '}
        <span className="muted">
          {summary(steps, values)}
        </span>
      </figcaption>
      <div ref={container} role="img" aria-label={`Chart of ${metricKey} by step`} className={styles.plot} />
    </figure>
  );
}

function summary(steps: number[], values: number[]): string {
  if (values.length === 0) return 'no points';
  // A loop, not Math.min(...values): spreading a long series overflows the call stack.
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  const last = values.length - 1;
  return `latest ${formatMetric(values[last])} at step ${steps[last]} · min ${formatMetric(min)} · max ${formatMetric(max)} · ${values.length.toLocaleString('en')} points`;
}
