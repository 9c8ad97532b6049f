import { graphql } from '@/gql';
import { queryPage } from '@/lib/apollo/query';
import { MetricChart } from './metric-chart';
import styles from './run-page.module.css';

// Typed by src/gql (npm run codegen): the string must match the generated one exactly.
const METRIC_HISTORY = graphql(`
  query RunMetricHistory($runId: ID!, $key: String!) {
    run(id: $runId) {
      id
      metricHistory(key: $key) {
        step
        value
      }
    }
  }
`);

/** A chart per metric key: each key's full history is one request, all of them in parallel. */
export async function MetricCharts({ runId, keys }: { runId: string; keys: string[] }) {
  const histories = await Promise.all(keys.map((key) => queryPage(METRIC_HISTORY, { runId, key })));
  return (
    <div className={styles.charts}>
      {keys.map((key, index) => {
        const { data, error } = histories[index];
        if (error) {
          return (
            <p key={key} role="alert" className="alert">
              {key}: {error.message}
            </p>
          );
        }
        const points = data.run?.metricHistory ?? [];
        return (
          <MetricChart
            key={key}
            metricKey={key}
            steps={points.map((point) => point.step)}
            values={points.map((point) => point.value)}
          />
        );
      })}
    </div>
  );
}
