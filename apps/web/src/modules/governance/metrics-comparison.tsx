import { formatMetric } from '@/lib/format';

interface MetricValue {
  key: string;
  value: number;
}

interface Side {
  label: string;
  metrics: MetricValue[];
}

/** The candidate's latest metrics beside those of the version it would replace. */
export function MetricsComparison({ candidate, current }: { candidate: Side; current?: Side }) {
  const currentValues = new Map(current?.metrics.map((metric) => [metric.key, metric.value]));
  const keys = [...new Set([...candidate.metrics.map(({ key }) => key), ...currentValues.keys()])].sort();
  if (keys.length === 0) return <p className="muted small">No metrics recorded.</p>;
  const candidateValues = new Map(candidate.metrics.map((metric) => [metric.key, metric.value]));

  return (
    <table className="compact">
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col" className="numeric">
            {candidate.label}
          </th>
          {current ? (
            <>
              <th scope="col" className="numeric">
                {current.label}
              </th>
              <th scope="col" className="numeric">
                Change
              </th>
            </>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => {
          const mine = candidateValues.get(key);
          const theirs = currentValues.get(key);
          return (
            <tr key={key}>
              <th scope="row">{key}</th>
              <td className="numeric">{mine === undefined ? '—' : formatMetric(mine)}</td>
              {current ? (
                <>
                  <td className="numeric">{theirs === undefined ? '—' : formatMetric(theirs)}</td>
                  <td className="numeric muted">
                    {mine === undefined || theirs === undefined ? '—' : signed(mine - theirs)}
                  </td>
                </>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function signed(delta: number): string {
  return delta > 0 ? `+${formatMetric(delta)}` : formatMetric(delta);
}
