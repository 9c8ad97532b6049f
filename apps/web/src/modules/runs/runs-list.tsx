import { AppErrorCode } from '@pedigree/shared';
import Link from 'next/link';
import { graphql } from '@/gql';
import type { RunsListQuery } from '@/gql/graphql';
import { queryPage } from '@/lib/apollo/query';
import { formatMetric } from '@/lib/format';
import { lineageHref, runHref } from '@/modules/lineage/node-links';
import { DateTime } from '@/modules/ui/date-time';
import { LoadError } from '@/modules/ui/load-error';
import { RunFilterForm } from './run-filter-form';
import { RunStatusBadge } from './run-status';
import styles from './runs.module.css';

// Typed by src/gql (npm run codegen): the string must match the generated one exactly.
const RUNS_LIST = graphql(`
  query RunsList($project: String!, $filter: String, $first: Int!, $after: String) {
    runs(project: $project, filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          name
          status
          startedAt
          experiment {
            id
            name
          }
          commit {
            id
            sha
          }
          metrics {
            key
            value
          }
        }
      }
    }
  }
`);

type Run = RunsListQuery['runs']['edges'][number]['node'];

const PAGE_SIZE = 25;
/** A row shows this many latest metrics; the run page has them all. */
const METRICS_SHOWN = 3;

/** One page of a project's runs, newest first, narrowed by the filter language. */
export async function RunsList({
  project,
  filter,
  after,
}: {
  project: { key: string; name: string };
  filter: string | undefined;
  after: string | undefined;
}) {
  const { data, error } = await queryPage(RUNS_LIST, { project: project.key, filter, first: PAGE_SIZE, after });
  // A filter the API cannot read is the user's to fix, next to the field they typed it in.
  if (error?.code === AppErrorCode.BAD_USER_INPUT) {
    return <RunFilterForm project={project.key} filter={filter} error={error.message} />;
  }
  if (error) return <LoadError title="Runs" error={error} />;
  const { edges, totalCount, pageInfo } = data.runs;
  const listHref = `/runs?project=${encodeURIComponent(project.key)}${filter ? `&filter=${encodeURIComponent(filter)}` : ''}`;

  return (
    <>
      <RunFilterForm project={project.key} filter={filter} />
      <p role="status" className={styles.count}>
        {totalCount === 1 ? '1 run' : `${totalCount.toLocaleString('en')} runs`}
        {filter ? ' match the filter' : ` in ${project.name}`}.
      </p>
      {edges.length === 0 ? (
        <p className="empty">
          {filter ? 'No run matches this filter.' : 'No runs recorded yet. A training script records one with startRun.'}
        </p>
      ) : (
        <div className={`card ${styles.tableCard}`}>
          <table>
            <caption className="visually-hidden">Runs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Experiment</th>
                <th scope="col">Latest metrics</th>
                <th scope="col">Commit</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {edges.map(({ node }) => (
                <RunRow key={node.id} run={node} project={project.key} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {after || pageInfo.hasNextPage ? (
        <nav aria-label="Pages of runs" className={styles.paging}>
          {after ? <Link href={listHref}>First page</Link> : null}
          {pageInfo.hasNextPage && pageInfo.endCursor ? (
            <Link href={`${listHref}&after=${encodeURIComponent(pageInfo.endCursor)}`}>Next page</Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

function RunRow({ run, project }: { run: Run; project: string }) {
  const metrics = run.metrics.slice(0, METRICS_SHOWN);
  return (
    <tr>
      <td>
        <Link href={runHref(run.id)}>{run.name}</Link>
      </td>
      <td>
        <RunStatusBadge status={run.status} />
      </td>
      <td>{run.experiment.name}</td>
      <td>
        {metrics.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <ul className={styles.metrics}>
            {metrics.map(({ key, value }) => (
              <li key={key}>
                {key} <strong>{formatMetric(value)}</strong>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        {run.commit ? (
          <Link href={lineageHref(run.commit.id, project)} title={run.commit.sha}>
            <code>{run.commit.sha.slice(0, 7)}</code>
          </Link>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        <DateTime value={run.startedAt} />
      </td>
    </tr>
  );
}
