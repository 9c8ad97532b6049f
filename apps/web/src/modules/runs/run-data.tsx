import Link from 'next/link';
import type { DataRole } from '@/gql/graphql';
import { artifactHref, artifactTextPreview } from '@/lib/artifacts';
import { formatBytes, shortHash } from '@/lib/format';
import { lineageHref } from '@/modules/lineage/node-links';
import type { RunDetail } from './run-details';
import styles from './run-page.module.css';

const ROLE_LABELS: Record<DataRole, string> = {
  TRAIN: 'Train',
  VALIDATION: 'Validation',
  TEST: 'Test',
  OTHER: 'Other',
};

/** The data versions a run read, with their roles; one in a project the viewer cannot read stays a hidden row. */
export function RunInputs({ run }: { run: RunDetail }) {
  return (
    <section className="card" aria-labelledby="inputs-heading">
      <h2 id="inputs-heading">Inputs</h2>
      {run.inputs.length === 0 ? (
        <p className="empty">No input data recorded.</p>
      ) : (
        <div className={styles.scroll}>
          <table>
            <caption className="visually-hidden">Data versions the run read</caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Dataset</th>
                <th scope="col">Content hash</th>
              </tr>
            </thead>
            <tbody>
              {run.inputs.map(({ role, redacted, dataVersionId, dataVersion }) => (
                <tr key={`${dataVersionId}-${role}`} className={redacted ? styles.hiddenRow : undefined}>
                  <td>{ROLE_LABELS[role]}</td>
                  {redacted || !dataVersion ? (
                    <td colSpan={2}>Hidden: in a project you cannot read</td>
                  ) : (
                    <>
                      <td>
                        <Link href={lineageHref(dataVersion.id, run.project.key)}>{dataVersion.dataset.name}</Link>
                      </td>
                      <td>
                        <DataHash algorithm={dataVersion.hashAlgorithm} hash={dataVersion.contentHash} />
                      </td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function RunOutputs({ run }: { run: RunDetail }) {
  return (
    <section className="card" aria-labelledby="outputs-heading">
      <h2 id="outputs-heading">Outputs</h2>
      {run.outputs.length === 0 ? (
        <p className="empty">No output data recorded.</p>
      ) : (
        <div className={styles.scroll}>
          <table>
            <caption className="visually-hidden">Data versions the run produced</caption>
            <thead>
              <tr>
                <th scope="col">Dataset</th>
                <th scope="col">Content hash</th>
              </tr>
            </thead>
            <tbody>
              {run.outputs.map((output) => (
                <tr key={output.id}>
                  <td>
                    <Link href={lineageHref(output.id, run.project.key)}>{output.dataset.name}</Link>
                  </td>
                  <td>
                    <DataHash algorithm={output.hashAlgorithm} hash={output.contentHash} />
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

export function RunArtifacts({ run }: { run: RunDetail }) {
  return (
    <section className="card" aria-labelledby="artifacts-heading">
      <h2 id="artifacts-heading">Artifacts</h2>
      {run.artifacts.length === 0 ? (
        <p className="empty">No artifacts recorded.</p>
      ) : (
        <div className={styles.scroll}>
          <table>
            <caption className="visually-hidden">Files the run produced</caption>
            <thead>
              <tr>
                <th scope="col">Path</th>
                <th scope="col">Kind</th>
                <th scope="col" className={styles.numeric}>
                  Size
                </th>
                <th scope="col">Digest</th>
                <th scope="col">Location</th>
              </tr>
            </thead>
            <tbody>
              {run.artifacts.map((artifact) => (
                <tr key={artifact.id}>
                  <td>
                    <code>{artifact.path}</code>
                  </td>
                  <td>{artifact.kind}</td>
                  <td className={styles.numeric}>
                    {artifact.sizeBytes == null ? <span className="muted">—</span> : formatBytes(artifact.sizeBytes)}
                  </td>
                  <td>
                    {artifact.digest ? (
                      <code title={artifact.digest}>{shortHash(artifact.digest)}</code>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    {artifact.stored && artifact.digest ? (
                      <a href={artifactHref(artifact.digest)} download={artifact.path.split('/').pop()}>
                        Download
                      </a>
                    ) : (
                      <code className={styles.value}>{artifact.uri}</code>
                    )}
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

function DataHash({ algorithm, hash }: { algorithm: string; hash: string }) {
  return (
    <code title={`${algorithm}:${hash}`}>
      {algorithm}:{shortHash(hash)}
    </code>
  );
}

const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/svg+xml', 'image/jpeg']);

/** Plots shown inline and logs shown as text, from the artifacts the run stored. */
export async function RunArtifactPreviews({ run }: { run: RunDetail }) {
  const stored = run.artifacts.filter((artifact) => artifact.stored && artifact.digest);
  const plots = stored.filter((artifact) => artifact.kind === 'PLOT' && INLINE_IMAGE_TYPES.has(artifact.mediaType ?? ''));
  const logs = stored.filter((artifact) => artifact.kind === 'LOG');
  if (plots.length === 0 && logs.length === 0) return null;
  const previews = await Promise.all(logs.map((log) => artifactTextPreview(log.digest as string)));
  return (
    <section className="card" aria-labelledby="previews-heading">
      <h2 id="previews-heading">Plots and logs</h2>
      {plots.map((plot) => (
        <figure key={plot.id}>
          {/* An <img> never runs a stored SVG's scripts; the API also sends it with a sandboxing CSP. */}
          <img src={artifactHref(plot.digest as string)} alt={`Plot ${plot.path}`} style={{ maxWidth: '100%' }} />
          <figcaption>
            <code>{plot.path}</code>
          </figcaption>
        </figure>
      ))}
      {logs.map((log, index) => (
        <details key={log.id} open={index === 0}>
          <summary>
            <code>{log.path}</code>
          </summary>
          {previews[index] ? (
            <>
              <pre className={styles.log}>{previews[index].text}</pre>
              {previews[index].truncated ? <p className="muted">Showing the first 64 KiB; download the artifact for the rest.</p> : null}
            </>
          ) : (
            <p className="muted">The log could not be read.</p>
          )}
        </details>
      ))}
    </section>
  );
}
