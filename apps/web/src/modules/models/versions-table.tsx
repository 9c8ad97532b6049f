import type { ResultOf } from '@graphql-typed-document-node/core';
import Link from 'next/link';
import { graphql } from '@/gql';
import type { Stage } from '@/gql/graphql';
import { formatMetric, STAGE_LABELS } from '@/lib/format';
import { DateTime } from '@/modules/ui/date-time';
import { StageBadge } from '@/modules/ui/stage-badge';

const VERSION_ROW_FIELDS = graphql(`
  fragment VersionRowFields on ModelVersion {
    id
    version
    stage
    aliases
    createdAt
    createdBy {
      id
      name
      email
    }
    sourceRun {
      id
      name
      metrics {
        key
        value
      }
    }
  }
`);

export type VersionRow = ResultOf<typeof VERSION_ROW_FIELDS>;

/** More columns than this no longer fit a laptop screen beside the rest of the row. */
const MAX_METRIC_COLUMNS = 6;

/** Metric keys the versions share most, so the columns compare like with like. */
function metricColumns(versions: VersionRow[]): string[] {
  const counts = new Map<string, number>();
  for (const { sourceRun } of versions) {
    for (const { key } of sourceRun.metrics) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .slice(0, MAX_METRIC_COLUMNS)
    .map(([key]) => key);
}

export function VersionsTable({
  modelName,
  versions,
  pendingByVersionId,
}: {
  modelName: string;
  versions: VersionRow[];
  pendingByVersionId: Map<string, Stage>;
}) {
  if (versions.length === 0) return <p className="empty">No versions registered yet.</p>;
  const metrics = metricColumns(versions);
  const base = `/models/${encodeURIComponent(modelName)}/versions`;

  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">Versions of {modelName}, newest first, with the latest metrics of their runs</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Stage</th>
            <th scope="col">Aliases</th>
            {metrics.map((key) => (
              <th scope="col" key={key} className="numeric">
                {key}
              </th>
            ))}
            <th scope="col">Registered by</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((version) => {
            const values = new Map(version.sourceRun.metrics.map((metric) => [metric.key, metric.value]));
            const pendingTo = pendingByVersionId.get(version.id);
            return (
              <tr key={version.id}>
                <th scope="row">
                  <Link href={`${base}/${version.version}`}>Version {version.version}</Link>
                </th>
                <td>
                  <StageBadge stage={version.stage} />
                  {pendingTo ? (
                    <div className="small">
                      <Link href="/approvals">Pending → {STAGE_LABELS[pendingTo]}</Link>
                    </div>
                  ) : null}
                </td>
                <td>
                  {version.aliases.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    version.aliases.map((alias) => (
                      <span key={alias} className="alias">
                        {alias}
                      </span>
                    ))
                  )}
                </td>
                {metrics.map((key) => {
                  const value = values.get(key);
                  return (
                    <td key={key} className="numeric">
                      {value === undefined ? <span className="muted">—</span> : formatMetric(value)}
                    </td>
                  );
                })}
                <td>
                  {version.createdBy?.name ?? 'unknown'}
                  <div className="small muted">
                    <DateTime value={version.createdAt} />
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
