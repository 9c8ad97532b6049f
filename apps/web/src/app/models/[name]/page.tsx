import type { Metadata } from 'next';
import Link from 'next/link';
import { graphql } from '@/gql';
import type { Stage } from '@/gql/graphql';
import { queryPage } from '@/lib/apollo/query';
import { currentProject, hasRole } from '@/lib/viewer';
import { RequestPromotionForm } from '@/modules/governance/request-promotion-form';
import { TransitionTimeline } from '@/modules/governance/transition-timeline';
import { VersionsTable } from '@/modules/models/versions-table';
import { LoadError } from '@/modules/ui/load-error';
import { NoProject } from '@/modules/ui/no-project';

interface Props {
  params: Promise<{ name: string }>;
  searchParams: Promise<{ project?: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${decodeURIComponent((await params).name)} · Pedigree` };
}

// A project rarely has more open requests than this; one page marks the versions that have one.
const MODEL_PAGE = graphql(`
  query ModelPage($project: String!, $name: String!) {
    registeredModel(project: $project, name: $name) {
      id
      name
      description
      productionVersion {
        id
        version
      }
      versions {
        ...VersionRowFields
        transitions {
          ...TransitionFields
        }
      }
    }
    transitionRequests(project: $project, status: PENDING, first: 100) {
      edges {
        node {
          id
          toStage
          modelVersion {
            id
          }
        }
      }
    }
  }
`);

export default async function ModelPage({ params, searchParams }: Props) {
  const name = decodeURIComponent((await params).name);
  const project = await currentProject((await searchParams).project);
  if (!project) return <NoProject title={name} />;

  const { data, error } = await queryPage(MODEL_PAGE, { project: project.key, name });
  if (error) return <LoadError title={name} error={error} />;
  const model = data.registeredModel;
  if (!model) {
    return (
      <>
        <h1>{name}</h1>
        <p className="empty">
          {project.name} has no model named “{name}”. <Link href="/models">See all models</Link>.
        </p>
      </>
    );
  }

  const pendingByVersionId = new Map<string, Stage>(
    data.transitionRequests.edges.map(({ node }) => [node.modelVersion.id, node.toStage]),
  );
  const timeline = model.versions.flatMap((version) =>
    version.transitions.map((transition) => ({ version: version.version, transition })),
  );

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/models">Models</Link> / <span aria-current="page">{model.name}</span>
      </nav>
      <h1>{model.name}</h1>
      <p className="muted">
        {model.description ? `${model.description} · ` : null}
        {model.productionVersion ? `In Production: version ${model.productionVersion.version}` : 'No version in Production.'}
      </p>

      <section className="card" aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        <VersionsTable modelName={model.name} versions={model.versions} pendingByVersionId={pendingByVersionId} />
      </section>

      <div className="columns">
        <section className="card" aria-labelledby="promotion-heading">
          <h2 id="promotion-heading">Request promotion</h2>
          {hasRole(project.viewerRole, 'CONTRIBUTOR') ? (
            <RequestPromotionForm
              versions={model.versions.map((version) => ({
                id: version.id,
                version: version.version,
                stage: version.stage,
                pendingTo: pendingByVersionId.get(version.id),
              }))}
            />
          ) : (
            <p className="muted">Requesting a promotion needs the Contributor role in {project.name}.</p>
          )}
        </section>

        <section className="card" aria-labelledby="history-heading">
          <h2 id="history-heading">Stage history</h2>
          <TransitionTimeline entries={timeline} label={`Stage history of ${model.name}`} />
        </section>
      </div>
    </>
  );
}
