import type { Metadata } from 'next';
import Link from 'next/link';
import { graphql } from '@/gql';
import type { ModelsPageQuery } from '@/gql/graphql';
import { queryPage } from '@/lib/apollo/query';
import { currentProject } from '@/lib/viewer';
import { LoadError } from '@/modules/ui/load-error';
import { NoProject } from '@/modules/ui/no-project';

export const metadata: Metadata = { title: 'Models · Pedigree' };

type RegisteredModel = NonNullable<ModelsPageQuery['project']>['registeredModels'][number];

const MODELS_PAGE = graphql(`
  query ModelsPage($project: String!) {
    project(key: $project) {
      id
      name
      registeredModels {
        id
        name
        description
        latestVersion
        productionVersion {
          id
          version
        }
        versions {
          id
          version
          stage
        }
        aliases {
          alias
          modelVersion {
            id
            version
          }
        }
      }
    }
  }
`);

export default async function ModelsPage({ searchParams }: { searchParams: Promise<{ project?: string }> }) {
  const project = await currentProject((await searchParams).project);
  if (!project) return <NoProject title="Models" />;

  const { data, error } = await queryPage(MODELS_PAGE, { project: project.key });
  if (error) return <LoadError title="Models" error={error} />;
  const models = data.project?.registeredModels ?? [];

  return (
    <>
      <h1>Models</h1>
      <p className="muted">Registered models of {project.name}.</p>
      {models.length === 0 ? (
        <p className="empty">
          No registered models yet. A model appears here when a finished run registers its first version.
        </p>
      ) : (
        <div className="card table-card">
          <table>
            <caption className="visually-hidden">Registered models with their Production and Staging versions</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Production</th>
                <th scope="col">Staging</th>
                <th scope="col">Aliases</th>
                <th scope="col">Versions</th>
              </tr>
            </thead>
            <tbody>
              {models.map((model) => (
                <ModelRow key={model.id} model={model} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function ModelRow({ model }: { model: RegisteredModel }) {
  const href = `/models/${encodeURIComponent(model.name)}`;
  const staging = model.versions.filter((version) => version.stage === 'STAGING');
  return (
    <tr>
      <th scope="row">
        <Link href={href}>{model.name}</Link>
        {model.description ? <div className="muted small">{model.description}</div> : null}
      </th>
      <td>
        {model.productionVersion ? (
          <Link href={`${href}/versions/${model.productionVersion.version}`}>
            version {model.productionVersion.version}
          </Link>
        ) : (
          <span className="muted">none</span>
        )}
      </td>
      <td>
        {staging.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          staging.map((version, index) => (
            <span key={version.id}>
              {index > 0 ? ', ' : null}
              <Link href={`${href}/versions/${version.version}`}>version {version.version}</Link>
            </span>
          ))
        )}
      </td>
      <td>
        {model.aliases.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          <ul className="inline-list">
            {model.aliases.map(({ alias, modelVersion }) => (
              <li key={alias}>
                <span className="alias">{alias}</span> → v{modelVersion.version}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>{model.latestVersion}</td>
    </tr>
  );
}
