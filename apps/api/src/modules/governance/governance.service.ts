import type { DataSource, EntityManager } from 'typeorm';
import { IsNull, Not } from 'typeorm';
import { projectForRole, rowForRole } from '../../common/auth/project-access';
import { AuthMethod, type Viewer } from '../../common/auth/viewer';
import { lockKey } from '../../common/database/locks';
import { AppError, AppErrorCode, badInput, conflict, notFound } from '../../common/errors/app-error';
import { isUniqueViolation } from '../../common/errors/postgres-errors';
import { type Page, decodeCursor, encodeCursor, pageSize, toPage } from '../../common/pagination/connection';
import { auditedTransaction, recordAudit } from '../audit/audit.service';
import { ModelVersion, RegisteredModel, Stage } from '../model/model.entity';
import { Run } from '../run/run.entity';
import { WebhookEvent, enqueueWebhookEvent } from '../webhook/webhook.outbox';
import {
  type GateResult, GateOp, type MetricGate, ModelAlias, ModelAliasChange, PromotionPolicy, ReviewDecision, StageChange, TransitionRequest, TransitionReview, TransitionStatus,
} from './governance.entity';
import type { RemoveModelAliasInput, RequestTransitionInput, ReviewTransitionInput, SetModelAliasInput, SetPromotionPolicyInput } from './governance.inputs';

/** The moves a version may make; anything else is refused. */
export const ALLOWED_MOVES: Record<Stage, Stage[]> = {
  [Stage.NONE]: [Stage.STAGING],
  [Stage.STAGING]: [Stage.PRODUCTION],
  [Stage.PRODUCTION]: [Stage.ARCHIVED],
  [Stage.ARCHIVED]: [Stage.STAGING],
};

/** Approvals a move needs when no policy says otherwise. */
const DEFAULT_APPROVALS: Record<Stage, number> = { [Stage.NONE]: 0, [Stage.STAGING]: 0, [Stage.PRODUCTION]: 1, [Stage.ARCHIVED]: 0 };

const COMPARE: Record<GateOp, { symbol: string; test: (value: number, threshold: number) => boolean }> = {
  [GateOp.GT]: { symbol: '>', test: (value, threshold) => value > threshold },
  [GateOp.GTE]: { symbol: '>=', test: (value, threshold) => value >= threshold },
  [GateOp.LT]: { symbol: '<', test: (value, threshold) => value < threshold },
  [GateOp.LTE]: { symbol: '<=', test: (value, threshold) => value <= threshold },
};

/** A refusal on a rule of the project: the denied attempt is audited on that project's chain. */
const forbidden = (message: string, projectId: string) => new AppError(AppErrorCode.FORBIDDEN, message, { projectId });

type Policy = Pick<PromotionPolicy, 'requiredApprovals' | 'metricGates' | 'requireCompleteLineage'>;

/** A snapshot of a request for audit events and webhooks. */
function describeRequest(request: TransitionRequest) {
  return { requestId: request.id, modelVersionId: request.modelVersionId, fromStage: request.fromStage, toStage: request.toStage, status: request.status };
}

/**
 * Moves a version to a stage and records why. At most one PRODUCTION version per model is enforced
 * by a partial unique index, so of two concurrent promotions the second fails here with CONFLICT.
 */
export async function changeStage(manager: EntityManager, actor: Viewer | null, version: ModelVersion, toStage: Stage, requestId: string | null, reason: string): Promise<void> {
  const fromStage = version.stage;
  try {
    await manager.update(ModelVersion, { id: version.id }, { stage: toStage });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict(`Another version of this model entered PRODUCTION at the same time; version ${version.version} was not promoted. Read the model again and retry.`);
    }
    throw error;
  }
  version.stage = toStage;
  await manager.insert(StageChange, { projectId: version.projectId, modelId: version.modelId, modelVersionId: version.id, fromStage, toStage, requestId, reason, changedBy: actor?.id ?? null });
  recordAudit(manager, actor, {
    action: 'model_version.stage_changed',
    entityType: 'ModelVersion',
    entityId: version.id,
    projectId: version.projectId,
    before: { stage: fromStage },
    after: { stage: toStage, requestId },
    comment: reason,
  });
}

export class GovernanceService {
  constructor(
    private readonly dataSource: DataSource,
    /** How recent a sign-in must be to approve for PRODUCTION: the approval is an electronic signature (21 CFR 11.200). */
    private readonly approvalReauthMinutes = 15,
  ) {}

  request(viewer: Viewer, input: RequestTransitionInput): Promise<TransitionRequest> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const version = await rowForRole(manager, ModelVersion, input.modelVersionId, viewer, 'CONTRIBUTOR', 'Model version', 'pessimistic_write');
      if (input.idempotencyKey) {
        await lockKey(manager, `transition:${version.projectId}:${viewer.id}:${input.idempotencyKey}`);
        const earlier = await manager.findOneBy(TransitionRequest, { projectId: version.projectId, requestedBy: viewer.id, idempotencyKey: input.idempotencyKey });
        if (earlier) {
          if (earlier.modelVersionId !== input.modelVersionId || earlier.toStage !== input.toStage || earlier.comment !== (input.comment ?? null)) {
            throw badInput(`idempotencyKey "${input.idempotencyKey}" was already used for another request; use a new key`);
          }
          return earlier;
        }
      }
      if (!ALLOWED_MOVES[version.stage].includes(input.toStage)) {
        throw badInput(`Version ${version.version} is in ${version.stage}, which can move to ${ALLOWED_MOVES[version.stage].join(' or ')} only, not ${input.toStage}`);
      }
      const pending = await manager.findOneBy(TransitionRequest, { modelVersionId: version.id, status: TransitionStatus.PENDING });
      if (pending) throw conflict(`Version ${version.version} already has a PENDING request ${pending.id}; review or cancel it first`, { requestId: pending.id });
      const request = await manager.save(
        manager.create(TransitionRequest, {
          projectId: version.projectId,
          modelId: version.modelId,
          modelVersionId: version.id,
          fromStage: version.stage,
          toStage: input.toStage,
          status: TransitionStatus.PENDING,
          requestedBy: viewer.id,
          comment: input.comment ?? null,
          gateResults: [],
          idempotencyKey: input.idempotencyKey ?? null,
        }),
      );
      recordAudit(manager, viewer, { action: 'transition.requested', entityType: 'TransitionRequest', entityId: request.id, projectId: request.projectId, after: describeRequest(request), comment: request.comment });
      await enqueueWebhookEvent(manager, { projectId: request.projectId, type: WebhookEvent.TRANSITION_REQUESTED, payload: describeRequest(request) });
      await this.tryApply(manager, viewer, request, version);
      return request;
    });
  }

  review(viewer: Viewer, input: ReviewTransitionInput): Promise<TransitionRequest> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const request = await rowForRole(manager, TransitionRequest, input.requestId, viewer, 'REVIEWER', 'Transition request', 'pessimistic_write');
      if (input.idempotencyKey) {
        const earlier = await manager.findOneBy(TransitionReview, { reviewerId: viewer.id, idempotencyKey: input.idempotencyKey });
        if (earlier) {
          if (earlier.requestId !== request.id || earlier.decision !== input.decision || earlier.comment !== (input.comment ?? null)) {
            throw badInput(`idempotencyKey "${input.idempotencyKey}" was already used for another review; use a new key`);
          }
          return request;
        }
      }
      if (request.status !== TransitionStatus.PENDING) throw conflict(`Request ${request.id} is ${request.status}; only a PENDING request can be reviewed`, { status: request.status });
      if (request.requestedBy === viewer.id) throw forbidden('Separation of duties: you requested this transition, so another reviewer must review it.', request.projectId);
      const version = await manager.findOneOrFail(ModelVersion, { where: { id: request.modelVersionId }, lock: { mode: 'pessimistic_write' } });
      if (input.decision === ReviewDecision.APPROVE && request.toStage === Stage.PRODUCTION) {
        const run = await manager.findOneByOrFail(Run, { id: version.runId });
        if (run.createdBy === viewer.id) throw forbidden('Separation of duties: you started the run that trained this version, so you cannot approve its promotion to PRODUCTION.', request.projectId);
      }
      if (await manager.existsBy(TransitionReview, { requestId: request.id, reviewerId: viewer.id })) {
        throw forbidden('One review per reviewer: you have already reviewed this request.', request.projectId);
      }
      const signature = input.decision === ReviewDecision.APPROVE && request.toStage === Stage.PRODUCTION ? this.productionSignature(viewer, request.projectId) : null;
      const review = await manager.save(
        manager.create(TransitionReview, { requestId: request.id, reviewerId: viewer.id, decision: input.decision, comment: input.comment ?? null, idempotencyKey: input.idempotencyKey ?? null }),
      );
      const reviewed = { ...describeRequest(request), decision: review.decision, reviewerId: viewer.id };
      recordAudit(manager, viewer, {
        action: review.decision === ReviewDecision.APPROVE ? 'transition.approved' : 'transition.rejected',
        entityType: 'TransitionRequest',
        entityId: request.id,
        projectId: request.projectId,
        after: signature ? { ...reviewed, signature } : reviewed,
        comment: review.comment,
      });
      await enqueueWebhookEvent(manager, { projectId: request.projectId, type: WebhookEvent.TRANSITION_REVIEWED, payload: reviewed });
      if (input.decision === ReviewDecision.REJECT) {
        await this.resolve(manager, viewer, request, TransitionStatus.REJECTED);
        await enqueueWebhookEvent(manager, { projectId: request.projectId, type: WebhookEvent.TRANSITION_REJECTED, payload: describeRequest(request) });
      } else {
        await this.tryApply(manager, viewer, request, version);
      }
      return request;
    });
  }

  /**
   * What an approval for PRODUCTION signs, once the reviewer has proved who they are recently
   * enough; else UNAUTHENTICATED with the reason the web app turns into "confirm it's you".
   */
  private productionSignature(viewer: Viewer, projectId: string) {
    const { method, authenticatedAt } = viewer.authentication ?? { method: null, authenticatedAt: null };
    const ageMinutes = authenticatedAt ? (Date.now() - authenticatedAt.getTime()) / 60_000 : Infinity;
    if (method === AuthMethod.API_TOKEN || ageMinutes > this.approvalReauthMinutes) {
      const why = method === AuthMethod.API_TOKEN ? 'an API token cannot sign it' : `you signed in ${Math.floor(ageMinutes)} minutes ago`;
      throw new AppError(
        AppErrorCode.UNAUTHENTICATED,
        `Approving for production needs a sign-in within the last ${this.approvalReauthMinutes} minutes, and ${why}. Sign in again to confirm it is you, then approve.`,
        { reason: 'REAUTHENTICATION_REQUIRED', maxAgeMinutes: this.approvalReauthMinutes, authenticatedAt: authenticatedAt?.toISOString() ?? null, projectId },
      );
    }
    return { meaning: 'approved for production', authMethod: method, authenticatedAt: (authenticatedAt as Date).toISOString() };
  }

  /** Tries a PENDING request again, for gates that may pass now (a metric logged, a policy changed). */
  apply(viewer: Viewer, requestId: string): Promise<TransitionRequest> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const request = await rowForRole(manager, TransitionRequest, requestId, viewer, 'CONTRIBUTOR', 'Transition request', 'pessimistic_write');
      if (request.status !== TransitionStatus.PENDING) throw conflict(`Request ${request.id} is ${request.status}; only a PENDING request can be applied`, { status: request.status });
      const version = await manager.findOneOrFail(ModelVersion, { where: { id: request.modelVersionId }, lock: { mode: 'pessimistic_write' } });
      if (!(await this.tryApply(manager, viewer, request, version))) {
        const unmet = request.gateResults.filter((gate) => !gate.passed).map((gate) => `${gate.name} (${gate.actual ?? 'none'})`);
        throw new AppError(AppErrorCode.PRECONDITION_FAILED, `Request ${request.id} cannot apply yet; unmet: ${unmet.join('; ')}`, { gates: request.gateResults });
      }
      return request;
    });
  }

  cancel(viewer: Viewer, requestId: string): Promise<TransitionRequest> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const request = await rowForRole(manager, TransitionRequest, requestId, viewer, 'VIEWER', 'Transition request', 'pessimistic_write');
      if (request.requestedBy !== viewer.id && viewer.roleIn(request.projectId) !== 'OWNER') {
        throw forbidden('Only the requester or a project OWNER can cancel a transition request.', request.projectId);
      }
      if (request.status !== TransitionStatus.PENDING) throw conflict(`Request ${request.id} is ${request.status}; only a PENDING request can be cancelled`, { status: request.status });
      await this.resolve(manager, viewer, request, TransitionStatus.CANCELLED);
      await enqueueWebhookEvent(manager, { projectId: request.projectId, type: WebhookEvent.TRANSITION_CANCELLED, payload: describeRequest(request) });
      return request;
    });
  }

  async list(viewer: Viewer, projectKey: string, status: TransitionStatus | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<Page<TransitionRequest>> {
    const size = pageSize(first);
    const project = await projectForRole(this.dataSource.manager, viewer, projectKey, 'VIEWER');
    const query = this.dataSource.getRepository(TransitionRequest).createQueryBuilder('request').where('request.project_id = :projectId', { projectId: project.id });
    if (status) query.andWhere('request.status = :status', { status });
    const totalCount = await query.clone().getCount();
    if (after) {
      const [createdAt, id] = decodeCursor(after);
      if (typeof createdAt !== 'string' || typeof id !== 'string') throw badInput('after is not a transition requests cursor');
      query.andWhere('(request.created_at, request.id) < (:createdAt, :id)', { createdAt, id });
    }
    const rows = await query.orderBy('request.created_at', 'DESC').addOrderBy('request.id', 'DESC').take(size + 1).getMany();
    return toPage(rows, size, totalCount, (request) => encodeCursor([request.createdAt.toISOString(), request.id]));
  }

  setPolicy(viewer: Viewer, input: SetPromotionPolicyInput): Promise<PromotionPolicy> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const project = await projectForRole(manager, viewer, input.project, 'OWNER');
      const model = input.model ? await manager.findOneBy(RegisteredModel, { projectId: project.id, name: input.model }) : null;
      if (input.model && !model) throw notFound(`Model "${input.model}" in project "${project.key}"`);
      await lockKey(manager, `policy:${project.id}:${model?.id ?? '*'}:${input.toStage}`);
      const existing = await manager.findOneBy(PromotionPolicy, { projectId: project.id, modelId: model ? model.id : IsNull(), toStage: input.toStage });
      const values = {
        requiredApprovals: input.requiredApprovals,
        metricGates: (input.metricGates ?? []).map(({ metric, op, threshold }): MetricGate => ({ metric, op, threshold })),
        requireCompleteLineage: input.requireCompleteLineage ?? false,
        updatedBy: viewer.id,
        updatedAt: new Date(),
      };
      const before = existing ? { requiredApprovals: existing.requiredApprovals, metricGates: existing.metricGates, requireCompleteLineage: existing.requireCompleteLineage } : null;
      const policy = existing ? Object.assign(existing, values) : manager.create(PromotionPolicy, { projectId: project.id, modelId: model?.id ?? null, toStage: input.toStage, ...values });
      await manager.save(policy);
      recordAudit(manager, viewer, {
        action: 'promotion_policy.set',
        entityType: 'PromotionPolicy',
        entityId: policy.id,
        projectId: project.id,
        before,
        after: { model: input.model ?? null, toStage: input.toStage, requiredApprovals: policy.requiredApprovals, metricGates: policy.metricGates, requireCompleteLineage: policy.requireCompleteLineage },
      });
      return policy;
    });
  }

  async listPolicies(viewer: Viewer, projectKey: string): Promise<PromotionPolicy[]> {
    const project = await projectForRole(this.dataSource.manager, viewer, projectKey, 'VIEWER');
    return this.dataSource.getRepository(PromotionPolicy).find({ where: { projectId: project.id }, order: { toStage: 'ASC', updatedAt: 'ASC' } });
  }

  setAlias(viewer: Viewer, input: SetModelAliasInput): Promise<ModelVersion> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const version = await rowForRole(manager, ModelVersion, input.modelVersionId, viewer, 'CONTRIBUTOR', 'Model version');
      await lockKey(manager, `alias:${version.modelId}:${input.alias}`);
      const existing = await manager.findOneBy(ModelAlias, { modelId: version.modelId, alias: input.alias });
      if (existing?.modelVersionId === version.id) return version;
      await manager.upsert(ModelAlias, { modelId: version.modelId, alias: input.alias, modelVersionId: version.id, updatedBy: viewer.id, updatedAt: new Date() }, ['modelId', 'alias']);
      await this.recordAliasMove(manager, viewer, version.projectId, version.modelId, input.alias, existing?.modelVersionId ?? null, version.id);
      return version;
    });
  }

  removeAlias(viewer: Viewer, input: RemoveModelAliasInput): Promise<boolean> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const project = await projectForRole(manager, viewer, input.project, 'CONTRIBUTOR');
      const model = await manager.findOneBy(RegisteredModel, { projectId: project.id, name: input.model });
      if (!model) throw notFound(`Model "${input.model}" in project "${project.key}"`);
      await lockKey(manager, `alias:${model.id}:${input.alias}`);
      const existing = await manager.findOneBy(ModelAlias, { modelId: model.id, alias: input.alias });
      if (!existing) throw notFound(`Alias "${input.alias}" of model "${input.model}"`);
      await manager.delete(ModelAlias, { modelId: model.id, alias: input.alias });
      await this.recordAliasMove(manager, viewer, project.id, model.id, input.alias, existing.modelVersionId, null);
      return true;
    });
  }

  /** The version that was in `stage`, or that `alias` named, at time `at`; the newest if several. */
  async versionAt(model: RegisteredModel, at: Date, stage: Stage | null | undefined, alias: string | null | undefined): Promise<ModelVersion | null> {
    if (!stage === !alias) throw badInput('versionAt takes exactly one of stage or alias');
    const [row]: Array<{ id: string }> = stage
      ? await this.dataSource.query(
          `SELECT mv.id FROM model_version mv
             LEFT JOIN LATERAL (SELECT to_stage FROM stage_change sc WHERE sc.model_version_id = mv.id AND sc.created_at <= $2 ORDER BY sc.id DESC LIMIT 1) last ON true
            WHERE mv.model_id = $1 AND mv.created_at <= $2 AND coalesce(last.to_stage, 'NONE') = $3
            ORDER BY mv.version DESC LIMIT 1`,
          [model.id, at, stage],
        )
      : await this.dataSource.query(
          `SELECT change.model_version_id AS id FROM model_alias_change change
            WHERE change.model_id = $1 AND change.alias = $2 AND change.created_at <= $3 ORDER BY change.id DESC LIMIT 1`,
          [model.id, alias, at],
        );
    return row?.id ? this.dataSource.getRepository(ModelVersion).findOneBy({ id: row.id }) : null;
  }

  /** Evaluates the request's policy; applies it when every condition is met. Returns whether it applied. */
  private async tryApply(manager: EntityManager, actor: Viewer, request: TransitionRequest, version: ModelVersion): Promise<boolean> {
    const policy = await this.policyFor(manager, request);
    const approvals = await manager.countBy(TransitionReview, { requestId: request.id, decision: ReviewDecision.APPROVE });
    request.gateResults = [
      { name: 'approvals', passed: approvals >= policy.requiredApprovals, actual: `${approvals} of ${policy.requiredApprovals}` },
      ...(await this.evaluateGates(manager, policy, version)),
    ];
    const ready = request.gateResults.every((gate) => gate.passed);
    if (ready) {
      if (version.stage !== request.fromStage) {
        throw conflict(`Version ${version.version} is now ${version.stage}, not ${request.fromStage} as when requested; cancel this request and request again`);
      }
      if (request.toStage === Stage.PRODUCTION) {
        const current = await manager.findOne(ModelVersion, { where: { modelId: version.modelId, stage: Stage.PRODUCTION, id: Not(version.id) }, lock: { mode: 'pessimistic_write' } });
        if (current) await changeStage(manager, actor, current, Stage.ARCHIVED, null, `replaced in PRODUCTION by version ${version.version}`);
      }
      await changeStage(manager, actor, version, request.toStage, request.id, `transition request ${request.id}`);
      await this.resolve(manager, actor, request, TransitionStatus.APPLIED);
      await enqueueWebhookEvent(manager, { projectId: request.projectId, type: WebhookEvent.TRANSITION_APPLIED, payload: describeRequest(request) });
    } else {
      await manager.update(TransitionRequest, { id: request.id }, { gateResults: request.gateResults });
    }
    return ready;
  }

  /** Closes a request. A rejection's event is the reviewer's `transition.rejected`; the others get their own. */
  private async resolve(manager: EntityManager, actor: Viewer, request: TransitionRequest, status: TransitionStatus): Promise<void> {
    request.status = status;
    request.resolvedAt = new Date();
    request.resolvedBy = actor.id;
    await manager.save(request);
    if (status === TransitionStatus.REJECTED) return;
    recordAudit(manager, actor, {
      action: `transition.${status.toLowerCase()}`,
      entityType: 'TransitionRequest',
      entityId: request.id,
      projectId: request.projectId,
      before: { status: TransitionStatus.PENDING },
      after: describeRequest(request),
    });
  }

  /** The model's own policy for the stage, else the project's default, else the built-in default. */
  private async policyFor(manager: EntityManager, request: TransitionRequest): Promise<Policy> {
    const policies = await manager.find(PromotionPolicy, { where: [{ modelId: request.modelId, toStage: request.toStage }, { projectId: request.projectId, modelId: IsNull(), toStage: request.toStage }] });
    return (
      policies.find((policy) => policy.modelId === request.modelId) ??
      policies.find((policy) => policy.modelId === null) ?? { requiredApprovals: DEFAULT_APPROVALS[request.toStage], metricGates: [], requireCompleteLineage: false }
    );
  }

  private async evaluateGates(manager: EntityManager, policy: Policy, version: ModelVersion): Promise<GateResult[]> {
    const results: GateResult[] = [];
    if (policy.metricGates.length > 0) {
      const latest: Array<{ key: string; value: number }> = await manager.query(
        `SELECT key, value FROM run_metric_latest WHERE run_id = $1 AND key = ANY($2::text[])`,
        [version.runId, policy.metricGates.map((gate) => gate.metric)],
      );
      const values = new Map(latest.map((row) => [row.key, row.value]));
      for (const gate of policy.metricGates) {
        const value = values.get(gate.metric);
        const { symbol, test } = COMPARE[gate.op];
        results.push({ name: `${gate.metric} ${symbol} ${gate.threshold}`, passed: value !== undefined && test(value, gate.threshold), actual: value === undefined ? null : String(value) });
      }
    }
    if (policy.requireCompleteLineage) {
      const [lineage]: Array<{ sha: string | null; dirty: boolean | null; inputs: number }> = await manager.query(
        `SELECT c.sha, c.dirty,
                (SELECT count(*)::int FROM lineage_edge e JOIN lineage_node n ON n.id = e.src_id
                  WHERE e.dst_id = r.id AND e.relation = 'CONSUMED' AND n.kind = 'DataVersion') AS inputs
           FROM run r LEFT JOIN code_commit c ON c.id = r.commit_id WHERE r.id = $1`,
        [version.runId],
      );
      const problems = [!lineage.sha && 'no commit', lineage.dirty && 'dirty commit', lineage.inputs === 0 && 'no input data'].filter(Boolean);
      results.push({ name: 'complete lineage', passed: problems.length === 0, actual: problems.length ? problems.join(', ') : `commit ${lineage.sha?.slice(0, 12)}, ${lineage.inputs} data input(s)` });
    }
    return results;
  }

  private async recordAliasMove(manager: EntityManager, actor: Viewer, projectId: string, modelId: string, alias: string, from: string | null, to: string | null): Promise<void> {
    await manager.insert(ModelAliasChange, { modelId, alias, modelVersionId: to, changedBy: actor.id });
    const move = { modelId, alias, fromModelVersionId: from, toModelVersionId: to };
    recordAudit(manager, actor, { action: to ? 'alias.moved' : 'alias.removed', entityType: 'ModelAlias', entityId: `${modelId}:${alias}`, projectId, before: { modelVersionId: from }, after: move });
    await enqueueWebhookEvent(manager, { projectId, type: WebhookEvent.ALIAS_MOVED, payload: move });
  }
}
