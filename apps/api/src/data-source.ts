import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { SnakeNamingStrategy } from './common/database/snake-naming.strategy';
import { SqlLogger } from './common/database/sql-logger';
import { CreateFoundation1764201600000 } from './migrations/1764201600000-CreateFoundation';
import { CreateWebhooks1764288000000 } from './migrations/1764288000000-CreateWebhooks';
import { CreateGovernance1764374400000 } from './migrations/1764374400000-CreateGovernance';
import { ChainAuditEvents1764460800000 } from './migrations/1764460800000-ChainAuditEvents';
import { CreateLatestMetrics1764547200000 } from './migrations/1764547200000-CreateLatestMetrics';
import { CreateArtifactStore1764633600000 } from './migrations/1764633600000-CreateArtifactStore';
import { AddIdentityAndGroups1764720000000 } from './migrations/1764720000000-AddIdentityAndGroups';
import { ApiToken } from './modules/auth/api-token.entity';
import { AuditEvent } from './modules/audit/audit-event.entity';
import { CodeCommit } from './modules/commit/code-commit.entity';
import { DataVersion, Dataset } from './modules/data-version/data-version.entity';
import { ModelAlias, ModelAliasChange, PromotionPolicy, StageChange, TransitionRequest, TransitionReview } from './modules/governance/governance.entity';
import { LineageEdge } from './modules/lineage/lineage-edge.entity';
import { LineageNode } from './modules/lineage/lineage-node.entity';
import { ModelVersion, RegisteredModel } from './modules/model/model.entity';
import { UserIdentity } from './modules/oidc/user-identity.entity';
import { ProjectGroupRole } from './modules/project/project-group-role.entity';
import { ProjectMember } from './modules/project/project-member.entity';
import { Project } from './modules/project/project.entity';
import { Experiment, Run, RunArtifact, RunParam, RunTag } from './modules/run/run.entity';
import { User } from './modules/user/user.entity';
import { Webhook, WebhookDelivery, WebhookDeliveryAttempt } from './modules/webhook/webhook.entity';

export const entities = [
  User, Project, ProjectMember, ApiToken, AuditEvent, LineageNode, LineageEdge, CodeCommit, Dataset, DataVersion,
  Experiment, Run, RunParam, RunTag, RunArtifact, RegisteredModel, ModelVersion,
  Webhook, WebhookDelivery, WebhookDeliveryAttempt,
  PromotionPolicy, TransitionRequest, TransitionReview, StageChange, ModelAlias, ModelAliasChange,
  UserIdentity, ProjectGroupRole,
];

export const migrations = [CreateFoundation1764201600000, CreateWebhooks1764288000000, CreateGovernance1764374400000, ChainAuditEvents1764460800000, CreateLatestMetrics1764547200000, CreateArtifactStore1764633600000, AddIdentityAndGroups1764720000000];

/** The schema comes from the committed migrations only; `synchronize` stays off. */
export function createDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    logger: new SqlLogger(),
    maxQueryExecutionTime: 1000,
    extra: {
      max: Number(process.env.PEDIGREE_DB_POOL_SIZE) || 10,
      // A runaway statement is cancelled by the server, not left to hold a connection.
      statement_timeout: Number(process.env.PEDIGREE_DB_STATEMENT_TIMEOUT_MS) || 30_000,
    },
  });
}
