import type { GraphQLSchema } from 'graphql';
import { buildSchema, type ResolverData } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { authChecker } from './common/auth/auth-checker';
import { DateTime } from './common/scalars';
import { loadWebhookSettings, type OidcSettings, type PasswordLogin, type WebhookSettings } from './config';
import { AuditResolver } from './modules/audit/audit.resolver';
import { AuditService } from './modules/audit/audit.service';
import { AuthResolver } from './modules/auth/auth.resolver';
import { AuthService } from './modules/auth/auth.service';
import { CommitResolver } from './modules/commit/commit.resolver';
import { CommitService } from './modules/commit/commit.service';
import { DataVersionResolver } from './modules/data-version/data-version.resolver';
import { DataVersionService } from './modules/data-version/data-version.service';
import {
  ModelAliasResolver, ModelVersionGovernanceResolver, PromotionPolicyResolver, RegisteredModelGovernanceResolver, StageChangeResolver, TransitionRequestResolver,
  TransitionReviewResolver,
} from './modules/governance/governance.resolver';
import { GovernanceService } from './modules/governance/governance.service';
import { LineageResolver } from './modules/lineage/lineage.resolver';
import { LineageService } from './modules/lineage/lineage.service';
import { NodeResolver } from './modules/lineage/node.resolver';
import { ModelVersionResolver, RegisteredModelResolver } from './modules/model/model.resolver';
import { ModelService } from './modules/model/model.service';
import { OidcService } from './modules/oidc/oidc.service';
import { ProjectMemberResolver, ProjectResolver } from './modules/project/project.resolver';
import { ProjectService } from './modules/project/project.service';
import { RunResolver } from './modules/run/run.resolver';
import { RunService } from './modules/run/run.service';
import { SearchService } from './modules/search/search.service';
import { UserResolver } from './modules/user/user.resolver';
import { UserService } from './modules/user/user.service';
import { WebhookResolver } from './modules/webhook/webhook.resolver';
import { WebhookService } from './modules/webhook/webhook.service';

export interface AuthSettings {
  secret: string;
  sessionHours: number;
  /** Default: everyone may sign in with a password. */
  passwordLogin?: PasswordLogin;
  /** Default: 15. */
  approvalReauthMinutes?: number;
  /** Default: no single sign-on. */
  oidc?: OidcSettings | null;
}

export function createServices(dataSource: DataSource, auth: AuthSettings, webhooks: WebhookSettings = loadWebhookSettings()) {
  return {
    audit: new AuditService(dataSource),
    auth: new AuthService(dataSource, auth.secret, auth.sessionHours, auth.passwordLogin),
    users: new UserService(dataSource),
    projects: new ProjectService(dataSource),
    commits: new CommitService(dataSource),
    dataVersions: new DataVersionService(dataSource),
    runs: new RunService(dataSource),
    models: new ModelService(dataSource),
    lineage: new LineageService(dataSource),
    webhooks: new WebhookService(dataSource, webhooks),
    governance: new GovernanceService(dataSource, auth.approvalReauthMinutes),
    search: new SearchService(dataSource),
    oidc: auth.oidc ? new OidcService(dataSource, { secret: auth.secret, sessionHours: auth.sessionHours, oidc: auth.oidc }) : null,
  };
}

export type Services = ReturnType<typeof createServices>;

/** Resolvers are built once with their services; type-graphql asks this map for them. */
function resolverInstances(services: Services) {
  return new Map<unknown, object>([
    [AuthResolver, new AuthResolver(services.auth)],
    [AuditResolver, new AuditResolver(services.audit)],
    [UserResolver, new UserResolver(services.users)],
    [ProjectResolver, new ProjectResolver(services.projects)],
    [ProjectMemberResolver, new ProjectMemberResolver()],
    [CommitResolver, new CommitResolver(services.commits)],
    [DataVersionResolver, new DataVersionResolver(services.dataVersions)],
    [RunResolver, new RunResolver(services.runs, services.search)],
    [RegisteredModelResolver, new RegisteredModelResolver(services.models)],
    [ModelVersionResolver, new ModelVersionResolver(services.models, services.search)],
    [NodeResolver, new NodeResolver()],
    [LineageResolver, new LineageResolver(services.lineage)],
    [WebhookResolver, new WebhookResolver(services.webhooks)],
    [TransitionRequestResolver, new TransitionRequestResolver(services.governance)],
    [TransitionReviewResolver, new TransitionReviewResolver()],
    [StageChangeResolver, new StageChangeResolver()],
    [ModelAliasResolver, new ModelAliasResolver()],
    [PromotionPolicyResolver, new PromotionPolicyResolver(services.governance)],
    [ModelVersionGovernanceResolver, new ModelVersionGovernanceResolver(services.governance)],
    [RegisteredModelGovernanceResolver, new RegisteredModelGovernanceResolver(services.governance)],
  ]);
}

export function buildPedigreeSchema(services: Services): Promise<GraphQLSchema> {
  const instances = resolverInstances(services);
  return buildSchema({
    resolvers: [...instances.keys()] as [Function, ...Function[]],
    container: { get: (someClass: unknown, _data: ResolverData) => instances.get(someClass) },
    authChecker,
    validate: { forbidUnknownValues: false },
    scalarsMap: [{ type: Date, scalar: DateTime }],
  });
}
