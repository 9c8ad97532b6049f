import Link from 'next/link';
import { graphql } from '@/gql';
import type { ProvenanceSummaryQuery } from '@/gql/graphql';
import { queryPage } from '@/lib/apollo/query';
import { formatBytes, shortHash } from '@/lib/format';
import { DateTime } from '@/modules/ui/date-time';

type Provenance = ProvenanceSummaryQuery['provenance'];

const PROVENANCE_SUMMARY = graphql(`
  query ProvenanceSummary($modelVersionId: ID!) {
    provenance(modelVersionId: $modelVersionId) {
      complete
      missing
      entrypoint
      environment
      sourceRun {
        id
        name
        status
        startedAt
        endedAt
        experiment {
          id
          name
        }
      }
      runs {
        id
        name
      }
      commits {
        id
        repository
        sha
        branch
        message
        dirty
        committedAt
      }
      dataVersions {
        id
        contentHash
        hashAlgorithm
        uri
        sizeBytes
        dataset {
          id
          name
        }
      }
      inputs {
        role
        dataVersion {
          id
        }
        run {
          id
          name
        }
      }
    }
  }
`);

/** Where a model version came from: the answer an auditor needs first, fetched on its own so the page streams. */
export async function ProvenanceSummary({ modelVersionId }: { modelVersionId: string }) {
  const { data, error } = await queryPage(PROVENANCE_SUMMARY, { modelVersionId });
  if (error) {
    return (
      <p role="alert" className="alert">
        {error.message}
      </p>
    );
  }
  const provenance = data.provenance;
  return (
    <div className="stack">
      <Verdict provenance={provenance} />
      <dl className="facts">
        <dt>Run</dt>
        <dd>
          <Link href={`/runs/${provenance.sourceRun.id}`}>{provenance.sourceRun.name}</Link>{' '}
          <span className="muted">
            in {provenance.sourceRun.experiment.name} · {provenance.sourceRun.status.toLowerCase()} ·{' '}
            <DateTime value={provenance.sourceRun.startedAt} />
          </span>
        </dd>
        <dt>Entrypoint</dt>
        <dd>{provenance.entrypoint ? <code>{provenance.entrypoint}</code> : <span className="muted">not recorded</span>}</dd>
        <dt>Environment</dt>
        <dd>
          {provenance.environment ? (
            <pre className="code-block">{JSON.stringify(provenance.environment, null, 2)}</pre>
          ) : (
            <span className="muted">not recorded</span>
          )}
        </dd>
      </dl>
      <Commits commits={provenance.commits} />
      <DataVersions provenance={provenance} />
    </div>
  );
}

function Verdict({ provenance }: { provenance: Provenance }) {
  if (provenance.complete) {
    return (
      <p className="verdict verdict-complete">
        <strong>Complete lineage:</strong> every run has a clean commit and the data is recorded to its source.
      </p>
    );
  }
  return (
    <div className="verdict verdict-incomplete">
      <p>
        <strong>Incomplete lineage.</strong> The record lacks:
      </p>
      <ul>
        {provenance.missing.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
  );
}

function Commits({ commits }: { commits: Provenance['commits'] }) {
  return (
    <section aria-labelledby="commits-heading">
      <h3 id="commits-heading">Code</h3>
      {commits.length === 0 ? (
        <p className="empty">No commit recorded.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Repository</th>
                <th scope="col">Commit</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {commits.map((commit) => (
                <tr key={commit.id}>
                  <td>{commit.repository}</td>
                  <td>
                    <code title={commit.sha}>{commit.sha}</code>
                    {commit.branch ? <div className="small muted">on {commit.branch}</div> : null}
                    {commit.dirty ? <div className="small warning-text">uncommitted changes</div> : null}
                  </td>
                  <td>{commit.message ?? <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DataVersions({ provenance }: { provenance: Provenance }) {
  const usesByDataVersion = new Map<string, string[]>();
  for (const input of provenance.inputs) {
    const uses = usesByDataVersion.get(input.dataVersion.id) ?? [];
    uses.push(`${input.role.toLowerCase()} of ${input.run.name}`);
    usesByDataVersion.set(input.dataVersion.id, uses);
  }
  return (
    <section aria-labelledby="data-heading">
      <h3 id="data-heading">Data</h3>
      {provenance.dataVersions.length === 0 ? (
        <p className="empty">No data version recorded.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Dataset</th>
                <th scope="col">Content hash</th>
                <th scope="col">Role</th>
                <th scope="col">Location</th>
              </tr>
            </thead>
            <tbody>
              {provenance.dataVersions.map((dataVersion) => (
                <tr key={dataVersion.id}>
                  <td>
                    <Link href={`/lineage?node=${dataVersion.id}`}>{dataVersion.dataset.name}</Link>
                  </td>
                  <td>
                    <code title={`${dataVersion.hashAlgorithm}:${dataVersion.contentHash}`}>
                      {dataVersion.hashAlgorithm}:{shortHash(dataVersion.contentHash, 16)}
                    </code>
                  </td>
                  <td>{usesByDataVersion.get(dataVersion.id)?.join(', ') ?? <span className="muted">upstream</span>}</td>
                  <td className="small">
                    {dataVersion.uri ?? <span className="muted">—</span>}
                    {dataVersion.sizeBytes != null ? (
                      <span className="muted"> · {formatBytes(dataVersion.sizeBytes)}</span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
