import type { Metadata } from 'next';
import { graphql } from '@/gql';
import { queryPage } from '@/lib/apollo/query';
import { ROLE_LABELS } from '@/lib/format';
import { currentProject, hasRole } from '@/lib/viewer';
import { MembersSection } from '@/modules/settings/members-section';
import { PoliciesSection } from '@/modules/settings/policies-section';
import { TokensSection } from '@/modules/settings/tokens-section';
import { WebhooksSection } from '@/modules/settings/webhooks-section';
import { LoadError } from '@/modules/ui/load-error';
import { NoProject } from '@/modules/ui/no-project';

export const metadata: Metadata = { title: 'Settings · Pedigree' };

const SETTINGS_PAGE = graphql(`
  query SettingsPage($project: String!) {
    project(key: $project) {
      id
      members {
        role
        createdAt
        user {
          id
          name
          email
        }
      }
      registeredModels {
        id
        name
      }
    }
    promotionPolicies(project: $project) {
      id
      toStage
      requiredApprovals
      requireCompleteLineage
      updatedAt
      metricGates {
        metric
        op
        threshold
      }
      model {
        id
        name
      }
    }
    apiTokens {
      id
      name
      role
      createdAt
      expiresAt
      revokedAt
      project {
        id
        name
      }
    }
  }
`);

export default async function SettingsPage({ searchParams }: { searchParams: Promise<{ project?: string }> }) {
  const project = await currentProject((await searchParams).project);
  if (!project) return <NoProject title="Settings" />;

  const { data, error } = await queryPage(SETTINGS_PAGE, { project: project.key });
  if (error) return <LoadError title="Settings" error={error} />;
  const isOwner = hasRole(project.viewerRole, 'OWNER');

  return (
    <>
      <h1>Settings</h1>
      <p className="muted">
        {project.name} · your role: {project.viewerRole ? ROLE_LABELS[project.viewerRole] : 'none'}
        {isOwner ? '' : '. Only owners change members, policies and webhooks; you can read them here.'}
      </p>
      <MembersSection projectKey={project.key} members={data.project?.members ?? []} canManage={isOwner} />
      <PoliciesSection
        projectKey={project.key}
        policies={data.promotionPolicies}
        modelNames={data.project?.registeredModels.map((model) => model.name) ?? []}
        canManage={isOwner}
      />
      <WebhooksSection projectKey={project.key} canManage={isOwner} />
      <TokensSection
        tokens={data.apiTokens}
        projectKey={project.key}
        projectName={project.name}
        viewerRole={project.viewerRole}
      />
    </>
  );
}
