import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { graphql } from '@/gql';
import { queryPage } from '@/lib/apollo/query';
import { artifactHref } from '@/lib/artifacts';
import { formatBytes, shortHash } from '@/lib/format';
import { currentProject } from '@/lib/viewer';
import { TransitionTimeline } from '@/modules/governance/transition-timeline';
import { LineageExplorer } from '@/modules/lineage/lineage-explorer';
import { ProvenanceSummary } from '@/modules/models/provenance-summary';
import { DateTime } from '@/modules/ui/date-time';
import { LoadError } from '@/modules/ui/load-error';
import { NoProject } from '@/modules/ui/no-project';
import { StageBadge } from '@/modules/ui/stage-badge';

interface Props {
  params: Promise<{ name: string; version: string }>;
  searchParams: Promise<{ project?: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name, version } = await params;
  return { title: `${decodeURIComponent(name)} v${version} · Pedigree` };
}

const VERSION_PAGE = graphql(`
  query VersionPage($project: String!, $name: String!, $version: Int!) {
    registeredModel(project: $project, name: $name) {
      id
      name
      version(version: $version) {
        id
        version
        stage
        aliases
        description
        artifactUri
        artifactDigest
        artifact {
          digest
          sizeBytes
        }
        createdAt
        createdBy {
          id
          name
        }
        transitions {
          ...TransitionFields
        }
      }
    }
  }
`);

export default async function VersionPage({ params, searchParams }: Props) {
  const { name: rawName, version: rawVersion } = await params;
  const name = decodeURIComponent(rawName);
  const title = `${name} version ${rawVersion}`;
  const project = await currentProject((await searchParams).project);
  if (!project) return <NoProject title={title} />;

  const number = Number(rawVersion);
  const { data, error } = Number.isSafeInteger(number)
    ? await queryPage(VERSION_PAGE, { project: project.key, name, version: number })
    : { data: undefined, error: { message: `“${rawVersion}” is not a version number.` } };
  if (error) return <LoadError title={title} error={error} />;
  const version = data.registeredModel?.version;
  if (!version) {
    return (
      <>
        <h1>{title}</h1>
        <p className="empty">
          {project.name} has no such version. <Link href="/models">See all models</Link>.
        </p>
      </>
    );
  }
  const modelHref = `/models/${encodeURIComponent(name)}`;

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/models">Models</Link> / <Link href={modelHref}>{name}</Link> /{' '}
        <span aria-current="page">version {version.version}</span>
      </nav>
      <header className="page-header">
        <h1>
          {name} version {version.version}
        </h1>
        <StageBadge stage={version.stage} />
        {version.aliases.map((alias) => (
          <span key={alias} className="alias">
            {alias}
          </span>
        ))}
      </header>
      <p className="muted">
        {version.description ? `${version.description} · ` : null}
        Registered by {version.createdBy?.name ?? 'unknown'} on <DateTime value={version.createdAt} />
      </p>
      <dl className="facts card">
        <dt>Artifact</dt>
        <dd>
          <code>{version.artifactUri}</code>
          {version.artifact ? (
            <>
              {' '}
              <a href={artifactHref(version.artifact.digest)} download>
                Download ({formatBytes(version.artifact.sizeBytes)})
              </a>
            </>
          ) : null}
        </dd>
        <dt>Digest</dt>
        <dd>
          <code title={version.artifactDigest}>{shortHash(version.artifactDigest, 24)}</code>
        </dd>
      </dl>

      <section className="card" aria-labelledby="provenance-heading">
        <h2 id="provenance-heading">Provenance</h2>
        <Suspense fallback={<p role="status">Loading provenance…</p>}>
          <ProvenanceSummary modelVersionId={version.id} />
        </Suspense>
      </section>

      <section className="card" aria-labelledby="lineage-heading">
        <h2 id="lineage-heading">Lineage</h2>
        <LineageExplorer nodeId={version.id} />
        <p className="small">
          <Link href={`/lineage?node=${version.id}`}>Open in the lineage explorer</Link>
        </p>
      </section>

      <section className="card" aria-labelledby="transitions-heading">
        <h2 id="transitions-heading">Transitions</h2>
        <TransitionTimeline
          entries={version.transitions.map((transition) => ({ transition }))}
          label={`Stage changes of version ${version.version}`}
        />
      </section>
    </>
  );
}
