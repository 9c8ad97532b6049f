import { AppErrorCode } from '@pedigree/shared';
import { redirect } from 'next/navigation';
import { graphql } from '@/gql';
import type { HomeQuery, ProjectRole, Stage } from '@/gql/graphql';
import { getClient } from '@/lib/apollo/client';
import { apiErrorOf } from '@/lib/apollo/errors';
import { readSessionToken } from '@/lib/session';
import { signOut } from './actions';

type Project = HomeQuery['projects'][number];
type RegisteredModel = Project['registeredModels'][number];

// Typed by src/gql (npm run codegen): the string must match the generated one exactly.
const HOME = graphql(`
  query Home {
    me {
      id
      email
      name
      isAdmin
    }
    projects {
      id
      key
      name
      viewerRole
      registeredModels {
        id
        name
        productionVersion {
          id
          version
        }
        versions {
          id
          version
          stage
          createdAt
        }
      }
    }
  }
`);

const STAGE_LABELS: Record<Stage, string> = {
  NONE: 'None',
  STAGING: 'Staging',
  PRODUCTION: 'Production',
  ARCHIVED: 'Archived',
};

const ROLE_LABELS: Record<ProjectRole, string> = {
  VIEWER: 'Viewer',
  CONTRIBUTOR: 'Contributor',
  REVIEWER: 'Reviewer',
  OWNER: 'Owner',
};

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** Undefined when the session is missing, expired or revoked. */
async function loadHome(): Promise<HomeQuery | undefined> {
  try {
    const client = await getClient();
    const { data } = await client.query({ query: HOME });
    return data?.me ? data : undefined;
  } catch (error) {
    if (apiErrorOf(error)?.code === AppErrorCode.UNAUTHENTICATED) return undefined;
    throw error;
  }
}

export default async function HomePage() {
  if (!(await readSessionToken())) redirect('/login');
  const data = await loadHome();
  if (!data?.me) redirect('/login');
  const { me, projects } = data;

  return (
    <>
      <div className="viewer-bar">
        <p>
          Signed in as <strong>{me.email}</strong>
          {me.isAdmin ? <span className="badge">Admin</span> : null}
        </p>
        <form action={signOut}>
          <button type="submit" className="button">
            Sign out
          </button>
        </form>
      </div>

      <h1>Your projects</h1>
      {projects.length === 0 ? (
        <p className="empty">No projects yet. Ask a project owner to add you, or an admin to create one.</p>
      ) : (
        <div className="stack">
          {projects.map((project) => (
            <ProjectCard key={project.id} project={project} />
          ))}
        </div>
      )}
    </>
  );
}

function ProjectCard({ project }: { project: Project }) {
  const headingId = `project-${project.id}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>
          {project.name} <code className="project-key">{project.key}</code>
        </h2>
        {/* Nullable in the schema, though `projects` only lists projects the viewer is a member of. */}
        <span className="muted">
          Your role: {project.viewerRole ? (ROLE_LABELS[project.viewerRole] ?? project.viewerRole) : 'None'}
        </span>
      </header>
      {project.registeredModels.length === 0 ? (
        <p className="empty">No registered models in this project yet.</p>
      ) : (
        project.registeredModels.map((model) => <ModelVersions key={model.id} model={model} />)
      )}
    </section>
  );
}

function ModelVersions({ model }: { model: RegisteredModel }) {
  const headingId = `model-${model.id}`;
  const versions = [...model.versions].sort((a, b) => b.version - a.version);
  return (
    <article className="model" aria-labelledby={headingId}>
      <h3 id={headingId}>{model.name}</h3>
      <p className="production">
        {model.productionVersion
          ? `In Production: version ${model.productionVersion.version}`
          : 'No version in Production.'}
      </p>
      {versions.length === 0 ? (
        <p className="empty">No versions registered yet.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Versions of {model.name}</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Stage</th>
              <th scope="col">Registered</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((version) => (
              <tr key={version.id}>
                <td>{version.version}</td>
                <td>
                  <span className={`stage stage-${version.stage.toLowerCase()}`}>
                    {STAGE_LABELS[version.stage] ?? version.stage}
                  </span>
                </td>
                <td>
                  <CreatedAt value={version.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

function CreatedAt({ value }: { value: string }) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <>{value}</>;
  return <time dateTime={date.toISOString()}>{dateFormat.format(date)} UTC</time>;
}
