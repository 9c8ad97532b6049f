import type { ApolloServerPlugin } from '@apollo/server';
import client from 'prom-client';
import type { DataSource } from 'typeorm';

/** One registry per process; `/metrics` serves it in the Prometheus text format. */
export const metricsRegistry = new client.Registry();
client.collectDefaultMetrics({ register: metricsRegistry });

const requestDuration = new client.Histogram({
  name: 'pedigree_graphql_request_duration_seconds',
  help: 'GraphQL requests by operation name and type, with their duration.',
  labelNames: ['operation', 'type'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

const errorsByCode = new client.Counter({
  name: 'pedigree_graphql_errors_total',
  help: 'Errors sent to clients, by extensions.code.',
  labelNames: ['code'] as const,
  registers: [metricsRegistry],
});

export const auditAppends = new client.Counter({
  name: 'pedigree_audit_events_appended_total',
  help: 'Audit events appended to the hash chains.',
  registers: [metricsRegistry],
});

type PoolCounts = { totalCount: number; idleCount: number; waitingCount: number };

/** Gauges read at scrape time: the database pool, and how far webhook delivery lags behind. */
export function registerDatabaseGauges(dataSource: DataSource): void {
  const pool = () => (dataSource.driver as unknown as { master?: PoolCounts }).master;
  const gauges: Array<[string, string, (counts: PoolCounts) => number]> = [
    ['pedigree_db_pool_connections', 'Open connections of the PostgreSQL pool.', (counts) => counts.totalCount],
    ['pedigree_db_pool_idle', 'Idle connections of the PostgreSQL pool.', (counts) => counts.idleCount],
    ['pedigree_db_pool_waiting', 'Requests waiting for a PostgreSQL connection.', (counts) => counts.waitingCount],
  ];
  for (const [name, help, read] of gauges) {
    metricsRegistry.removeSingleMetric(name);
    new client.Gauge({
      name,
      help,
      registers: [metricsRegistry],
      collect() {
        const counts = pool();
        this.set(counts ? read(counts) : 0);
      },
    });
  }
  metricsRegistry.removeSingleMetric('pedigree_webhook_outbox_lag_seconds');
  new client.Gauge({
    name: 'pedigree_webhook_outbox_lag_seconds',
    help: 'Age of the oldest webhook delivery that is due and not yet delivered.',
    registers: [metricsRegistry],
    async collect() {
      const rows: Array<{ lag: number }> = await dataSource
        .query(`SELECT coalesce(extract(epoch FROM now() - min(next_attempt_at)), 0)::float8 AS lag FROM webhook_delivery WHERE status = 'PENDING' AND next_attempt_at <= now()`)
        .catch(() => [{ lag: 0 }]);
      this.set(Number(rows[0]?.lag ?? 0));
    },
  });
}

/** Times every operation and counts the error codes clients receive. */
export const requestMetricsPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    const stop = requestDuration.startTimer();
    return {
      async willSendResponse({ operationName, operation, response }) {
        stop({ operation: operationName ?? 'anonymous', type: operation?.operation ?? 'unknown' });
        if (response.body.kind === 'single') {
          for (const error of response.body.singleResult.errors ?? []) errorsByCode.inc({ code: String(error.extensions?.code ?? 'UNKNOWN') });
        }
      },
    };
  },
};
