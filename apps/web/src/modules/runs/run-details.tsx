import Link from 'next/link';
import { Suspense } from 'react';
import { graphql } from '@/gql';
import type { RunPageQuery } from '@/gql/graphql';
import { queryPage } from '@/lib/apollo/query';
import { impactHref, lineageHref, modelVersionHref, runHref } from '@/modules/lineage/node-links';
import { DateTime } from '@/modules/ui/date-time';
import { LoadError } from '@/modules/ui/load-error';
import { StageBadge } from '@/modules/ui/stage-badge';
import { MetricCharts } from './metric-charts';
import { RunArtifactPreviews, RunArtifacts, RunInputs, RunOutputs } from './run-data';
import { RunStatusBadge } from './run-status';
import styles from './run-page.module.css';

// Typed by src/gql (npm run codegen): the string must match the generated one exactly.
const RUN_PAGE = graphql(`
  query RunPage($id: ID!) {
    run(id: $id) {
      id
      name
      status
      startedAt
      endedAt
      entrypoint
      environment
      errorMessage
      project {
        id
        key
        name
      }
      experiment {
        id
        name
      }
      createdBy {
        id
        name
      }
      commit {
        id
        repository
        sha
        branch
        message
        dirty
      }
      parent {
        id
        name
      }
      children {
        id
        name
      }
      params {
        key
        value
      }
      tags {
        key
        value
      }
      metrics {
        key
      }
      inputs {
        role
        redacted
        dataVersionId
        dataVersion {
          id
          contentHash
          hashAlgorithm
          dataset {
            id
            name
          }
        }
      }
      outputs {
        id
        contentHash
        hashAlgorithm
        dataset {
          id
          name
        }
      }
      artifacts {
        id
        path
        kind
        uri
        digest
        sizeBytes
        mediaType
        stored
      }
      modelVersions {
        id
        version
        stage
        model {
          id
          name
        }
      }
    }
  }
`);

export type RunDetail = NonNullable<RunPageQuery['run']>;

/** Everything recorded about one run: what it ran, read, logged and produced. */
export async function RunDetails({ runId }: { runId: string }) {
  const { data, error } = await queryPage(RUN_PAGE, { id: runId });
  if (error) return <LoadError title="Run" error={error} />;
  const run = data.run;
  if (!run) {
    return (
      <>
        <h1>Run</h1>
        <p className="empty">
          No run with this id in a project you can read. <Link href="/runs">See all runs</Link>.
        </p>
      </>
    );
  }

  return (
    <div className={styles.page}>
      <nav aria-label="Breadcrumb" className={styles.breadcrumb}>
        <Link href={`/runs?project=${encodeURIComponent(run.project.key)}`}>Runs</Link> /{' '}
        <span aria-current="page">{run.name}</span>
      </nav>
      <header className={styles.header}>
        <h1>{run.name}</h1>
        <RunStatusBadge status={run.status} />
        <nav aria-label="Run lineage" className={styles.actions}>
          <Link href={lineageHref(run.id, run.project.key)}>Open lineage</Link>
          <Link href={impactHref(run.id, run.project.key)}>Models it reached</Link>
        </nav>
      </header>
      {run.errorMessage ? (
        <section className={styles.error} aria-labelledby="run-error-heading">
          <h2 id="run-error-heading">Error</h2>
          <pre>{run.errorMessage}</pre>
        </section>
      ) : null}
      <RunFacts run={run} />

      <section className="card" aria-labelledby="metrics-heading">
        <h2 id="metrics-heading">Metrics</h2>
        {run.metrics.length === 0 ? (
          <p className="empty">No metrics logged.</p>
        ) : (
          <Suspense fallback={<p role="status">Loading metric history…</p>}>
            <MetricCharts runId={run.id} keys={run.metrics.map((metric) => metric.key)} />
          </Suspense>
        )}
      </section>

      <div className={styles.columns}>
        <KeyValues id="params" title="Parameters" entries={run.params} empty="No parameters recorded." />
        <KeyValues id="tags" title="Tags" entries={run.tags} empty="No tags." />
      </div>
      <RunInputs run={run} />
      <RunOutputs run={run} />
      <RunArtifacts run={run} />
      <RunArtifactPreviews run={run} />
      <RegisteredVersions run={run} />
      {run.environment ? (
        <section className="card" aria-labelledby="environment-heading">
          <h2 id="environment-heading">Environment</h2>
          <pre className={styles.json}>{JSON.stringify(run.environment, null, 2)}</pre>
        </section>
      ) : null}
    </div>
  );
}

function RunFacts({ run }: { run: RunDetail }) {
  return (
    <dl className={`card ${styles.facts}`}>
      <dt>Project</dt>
      <dd>{run.project.name}</dd>
      <dt>Experiment</dt>
      <dd>{run.experiment.name}</dd>
      <dt>Started</dt>
      <dd>
        <DateTime value={run.startedAt} />
        {run.createdBy ? ` by ${run.createdBy.name}` : null}
      </dd>
      <dt>Ended</dt>
      <dd>{run.endedAt ? <DateTime value={run.endedAt} /> : <span className="muted">still running</span>}</dd>
      <dt>Entrypoint</dt>
      <dd>{run.entrypoint ? <code>{run.entrypoint}</code> : <span className="muted">not recorded</span>}</dd>
      <dt>Commit</dt>
      <dd>
        {run.commit ? (
          <>
            <Link href={lineageHref(run.commit.id, run.project.key)} title={run.commit.sha}>
              {run.commit.repository}@<code>{run.commit.sha.slice(0, 10)}</code>
            </Link>
            {run.commit.branch ? <span className="muted"> on {run.commit.branch}</span> : null}
            {run.commit.dirty ? <strong className={styles.dirty}> · dirty: uncommitted changes</strong> : null}
            {run.commit.message ? <div className="muted">{run.commit.message}</div> : null}
          </>
        ) : (
          <span className="muted">not recorded</span>
        )}
      </dd>
      {run.parent ? (
        <>
          <dt>Parent run</dt>
          <dd>
            <Link href={runHref(run.parent.id)}>{run.parent.name}</Link>
          </dd>
        </>
      ) : null}
      {run.children.length > 0 ? (
        <>
          <dt>Nested runs</dt>
          <dd>
            {run.children.map((child, index) => (
              <span key={child.id}>
                {index > 0 ? ', ' : null}
                <Link href={runHref(child.id)}>{child.name}</Link>
              </span>
            ))}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

function KeyValues({
  id,
  title,
  entries,
  empty,
}: {
  id: string;
  title: string;
  entries: Array<{ key: string; value: string }>;
  empty: string;
}) {
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {entries.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <table>
          <caption className="visually-hidden">{title} of the run</caption>
          <tbody>
            {entries.map(({ key, value }) => (
              <tr key={key}>
                <th scope="row">{key}</th>
                <td>
                  <code className={styles.value}>{value}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RegisteredVersions({ run }: { run: RunDetail }) {
  if (run.modelVersions.length === 0) return null;
  return (
    <section className="card" aria-labelledby="registered-heading">
      <h2 id="registered-heading">Registered model versions</h2>
      <ul className={styles.list}>
        {run.modelVersions.map(({ id, version, stage, model }) => (
          <li key={id}>
            <Link href={modelVersionHref(run.project.key, model.name, version)}>
              {model.name} version {version}
            </Link>{' '}
            <StageBadge stage={stage} />
          </li>
        ))}
      </ul>
    </section>
  );
}
