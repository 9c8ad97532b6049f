import Link from 'next/link';
import { graphql } from '@/gql';
import type { ImpactReportQuery, Stage } from '@/gql/graphql';
import { queryPage } from '@/lib/apollo/query';
import { shortHash, STAGE_LABELS } from '@/lib/format';
import { DateTime } from '@/modules/ui/date-time';
import { LoadError } from '@/modules/ui/load-error';
import { StageBadge } from '@/modules/ui/stage-badge';
import { NODE_KIND_LABELS } from './node-kinds';
import { impactHref, lineageHref, modelHref, modelVersionHref } from './node-links';
import styles from './impact-report.module.css';

// Typed by src/gql (npm run codegen): the string must match the generated one exactly.
const IMPACT_REPORT = graphql(`
  query ImpactReport($nodeId: ID!, $first: Int!, $after: String) {
    node(id: $nodeId) {
      __typename
      id
      project {
        id
        key
      }
      ... on CodeCommit {
        repository
        sha
      }
      ... on DataVersion {
        contentHash
        hashAlgorithm
        dataset {
          id
          name
        }
      }
      ... on Run {
        name
      }
      ... on ModelVersion {
        version
        model {
          id
          name
        }
      }
    }
    impact(nodeId: $nodeId, first: $first, after: $after) {
      complete
      incompleteReason
      hiddenCount
      reachedNodes
      totalCount
      countsByStage {
        stage
        count
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      modelVersions {
        id
        version
        stage
        aliases
        createdAt
        model {
          id
          name
          project {
            id
            key
          }
        }
      }
    }
  }
`);

type StartNode = NonNullable<ImpactReportQuery['node']>;
type Impact = ImpactReportQuery['impact'];

const PAGE_SIZE = 25;
/** The order the API lists versions in, so the counts read in the same order as the table. */
const STAGE_ORDER: Stage[] = ['PRODUCTION', 'STAGING', 'NONE', 'ARCHIVED'];

/** Every registered model version downstream of a node, Production first, one page at a time. */
export async function ImpactReport({ nodeId, after }: { nodeId: string; after: string | undefined }) {
  const { data, error } = await queryPage(IMPACT_REPORT, { nodeId, first: PAGE_SIZE, after });
  if (error) return <LoadError title="Impact" error={error} />;
  const { node, impact } = data;
  const project = node?.project.key;

  return (
    <>
      <header className={styles.header}>
        <h1>Impact</h1>
        <nav aria-label="Impact actions" className={styles.actions}>
          <Link href={lineageHref(nodeId, project)}>Open its lineage</Link>
          <Link href={project ? `/impact?project=${encodeURIComponent(project)}` : '/impact'}>Pick another node</Link>
        </nav>
      </header>
      <p>
        Model versions downstream of {node ? <StartNodeName node={node} /> : <code>{nodeId}</code>}: the ones it
        reached and that would need another look if it was bad.
      </p>
      <Verdict impact={impact} />
      <section className="card" aria-labelledby="affected-heading">
        <h2 id="affected-heading">Affected model versions</h2>
        <StageCounts impact={impact} />
        <AffectedVersions impact={impact} />
        <Paging nodeId={nodeId} project={project} impact={impact} after={after} />
      </section>
    </>
  );
}

function StartNodeName({ node }: { node: StartNode }) {
  const kind = NODE_KIND_LABELS[node.__typename];
  switch (node.__typename) {
    case 'CodeCommit':
      return (
        <strong>
          {kind} {node.repository}@<code title={node.sha}>{node.sha.slice(0, 10)}</code>
        </strong>
      );
    case 'DataVersion':
      return (
        <strong>
          {kind} {node.dataset.name} <code title={node.contentHash}>{node.hashAlgorithm}:{shortHash(node.contentHash)}</code>
        </strong>
      );
    case 'Run':
      return (
        <strong>
          {kind} {node.name}
        </strong>
      );
    case 'ModelVersion':
      return (
        <strong>
          {kind} {node.model.name} v{node.version}
        </strong>
      );
  }
}

function Verdict({ impact }: { impact: Impact }) {
  if (impact.complete) {
    return (
      <p className={styles.complete}>
        <strong>Complete:</strong> the walk reached everything downstream ({impact.reachedNodes.toLocaleString('en')}{' '}
        nodes).
      </p>
    );
  }
  return (
    <p className={styles.incomplete}>
      <strong>Incomplete:</strong> {impact.incompleteReason ?? 'the walk was cut before it reached everything downstream.'}{' '}
      Affected versions may be missing from this list.
    </p>
  );
}

function StageCounts({ impact }: { impact: Impact }) {
  const counts = new Map(impact.countsByStage.map(({ stage, count }) => [stage, count]));
  return (
    <>
      <dl className={styles.counts} aria-label="Affected versions by stage">
        <div>
          <dt>Total</dt>
          <dd>{impact.totalCount}</dd>
        </div>
        {STAGE_ORDER.map((stage) => (
          <div key={stage}>
            <dt>{STAGE_LABELS[stage]}</dt>
            <dd>{counts.get(stage) ?? 0}</dd>
          </div>
        ))}
      </dl>
      {impact.hiddenCount > 0 ? (
        <p className={styles.hidden}>
          {impact.hiddenCount} more affected {impact.hiddenCount === 1 ? 'version is' : 'versions are'} in projects you
          cannot read: counted, not shown.
        </p>
      ) : null}
    </>
  );
}

function AffectedVersions({ impact }: { impact: Impact }) {
  if (impact.modelVersions.length === 0) {
    return <p className="empty">No registered model version you can read is downstream of this node.</p>;
  }
  return (
    <div className={styles.scroll}>
      <table>
        <caption className="visually-hidden">Affected model versions, Production first</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Version</th>
            <th scope="col">Stage</th>
            <th scope="col">Aliases</th>
            <th scope="col">Project</th>
            <th scope="col">Registered</th>
          </tr>
        </thead>
        <tbody>
          {impact.modelVersions.map(({ id, version, stage, aliases, createdAt, model }) => (
            <tr key={id}>
              <td>
                <Link href={modelHref(model.project.key, model.name)}>{model.name}</Link>
              </td>
              <td>
                <Link href={modelVersionHref(model.project.key, model.name, version)}>version {version}</Link>
              </td>
              <td>
                <StageBadge stage={stage} />
              </td>
              <td>{aliases.length > 0 ? aliases.join(', ') : <span className="muted">—</span>}</td>
              <td>
                <code>{model.project.key}</code>
              </td>
              <td>
                <DateTime value={createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Paging({
  nodeId,
  project,
  impact,
  after,
}: {
  nodeId: string;
  project: string | undefined;
  impact: Impact;
  after: string | undefined;
}) {
  const { hasNextPage, endCursor } = impact.pageInfo;
  if (!after && !hasNextPage) return null;
  const base = impactHref(nodeId, project);
  return (
    <nav aria-label="Pages of affected versions" className={styles.paging}>
      {after ? <Link href={base}>First page</Link> : null}
      {hasNextPage && endCursor ? <Link href={`${base}&after=${encodeURIComponent(endCursor)}`}>Next page</Link> : null}
    </nav>
  );
}
