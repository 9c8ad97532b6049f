import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, type Page } from '../../common/pagination/connection';
import { type Context, readableOnly, signedIn } from '../../context';
import { ModelVersion, RegisteredModel, Stage } from '../model/model.entity';
import { User } from '../user/user.entity';
import { ModelAlias, PromotionPolicy, ReviewDecision, StageChange, TransitionRequest, TransitionReview, TransitionStatus } from './governance.entity';
import { RemoveModelAliasInput, RequestTransitionInput, ReviewTransitionInput, SetModelAliasInput, SetPromotionPolicyInput } from './governance.inputs';
import type { GovernanceService } from './governance.service';

export const TransitionRequestConnection = ConnectionType('TransitionRequest', TransitionRequest);

@Resolver(() => TransitionRequest)
export class TransitionRequestResolver {
  constructor(private readonly governance: GovernanceService) {}

  @Authorized('CONTRIBUTOR')
  @Mutation(() => TransitionRequest, {
    description: 'Requests a stage move for a version; it applies at once when the policy needs no approvals and its gates pass. Needs CONTRIBUTOR.',
  })
  requestTransition(@Arg('input') input: RequestTransitionInput, @Ctx() ctx: Context): Promise<TransitionRequest> {
    return this.governance.request(signedIn(ctx), input);
  }

  @Authorized('REVIEWER')
  @Mutation(() => TransitionRequest, {
    description: "Approves or rejects a PENDING request; the approval that completes it applies it. Needs REVIEWER, and never the requester's own request nor, for PRODUCTION, one for a version trained by the reviewer's run.",
  })
  reviewTransition(@Arg('input') input: ReviewTransitionInput, @Ctx() ctx: Context): Promise<TransitionRequest> {
    return this.governance.review(signedIn(ctx), input);
  }

  @Authorized('CONTRIBUTOR')
  @Mutation(() => TransitionRequest, { description: 'Applies a PENDING request whose gates may pass now; PRECONDITION_FAILED names what is still unmet. Needs CONTRIBUTOR.' })
  applyTransition(@Arg('requestId', () => ID) requestId: string, @Ctx() ctx: Context): Promise<TransitionRequest> {
    return this.governance.apply(signedIn(ctx), requestId);
  }

  @Authorized('VIEWER')
  @Mutation(() => TransitionRequest, { description: 'Cancels a PENDING request. Needs to be its requester or a project OWNER.' })
  cancelTransition(@Arg('requestId', () => ID) requestId: string, @Ctx() ctx: Context): Promise<TransitionRequest> {
    return this.governance.cancel(signedIn(ctx), requestId);
  }

  @Authorized('VIEWER')
  @Query(() => TransitionRequestConnection, { description: 'Transition requests of a project, newest first, optionally of one status. Needs VIEWER.' })
  transitionRequests(
    @Arg('project') project: string,
    @Arg('status', () => TransitionStatus, { nullable: true }) status: TransitionStatus | null,
    @Arg('first', () => Int, { nullable: true, description: '1 to 100; default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<Page<TransitionRequest>> {
    return this.governance.list(signedIn(ctx), project, status, first, after);
  }

  @FieldResolver(() => ModelVersion, { description: 'The version to move.' })
  async modelVersion(@Root() request: TransitionRequest, @Ctx() ctx: Context): Promise<ModelVersion> {
    return (await ctx.loaders.modelVersionById.load(request.modelVersionId)) as ModelVersion;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who asked.' })
  requestedBy(@Root() request: TransitionRequest, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.userById.load(request.requestedBy);
  }

  @FieldResolver(() => [TransitionReview], { description: 'The approvals given so far.' })
  async approvals(@Root() request: TransitionRequest, @Ctx() ctx: Context): Promise<TransitionReview[]> {
    return (await ctx.loaders.reviewsByRequestId.load(request.id)).filter((review) => review.decision === ReviewDecision.APPROVE);
  }

  @FieldResolver(() => [TransitionReview], { description: 'Every review, approvals and rejections, oldest first.' })
  reviews(@Root() request: TransitionRequest, @Ctx() ctx: Context): Promise<TransitionReview[]> {
    return ctx.loaders.reviewsByRequestId.load(request.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Why the viewer cannot review this request (e.g. "you requested this"), or null when they can. The API still enforces it.',
  })
  async viewerCannotReviewBecause(@Root() request: TransitionRequest, @Ctx() ctx: Context): Promise<string | null> {
    const viewer = signedIn(ctx);
    if (request.status !== TransitionStatus.PENDING) return `it is ${request.status}`;
    const role = viewer.roleIn(request.projectId);
    if (role !== 'REVIEWER' && role !== 'OWNER') return 'reviewing needs the REVIEWER role';
    if (request.requestedBy === viewer.id) return 'you requested this';
    if ((await ctx.loaders.reviewsByRequestId.load(request.id)).some((review) => review.reviewerId === viewer.id)) return 'you have already reviewed it';
    if (request.toStage === Stage.PRODUCTION) {
      const version = await ctx.loaders.modelVersionById.load(request.modelVersionId);
      const run = version && (await ctx.loaders.runById.load(version.runId));
      if (run?.createdBy === viewer.id) return 'you trained this version';
    }
    return null;
  }

  @FieldResolver(() => [String], { description: 'What a PENDING request still lacks, e.g. "approvals (0 of 1)".' })
  missing(@Root() request: TransitionRequest): string[] {
    if (request.status !== TransitionStatus.PENDING) return [];
    return request.gateResults.filter((gate) => !gate.passed).map((gate) => `${gate.name} (${gate.actual ?? 'no value'})`);
  }
}

@Resolver(() => TransitionReview)
export class TransitionReviewResolver {
  @FieldResolver(() => User, { nullable: true, description: 'Who reviewed.' })
  reviewer(@Root() review: TransitionReview, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.userById.load(review.reviewerId);
  }
}

@Resolver(() => StageChange)
export class StageChangeResolver {
  @FieldResolver(() => User, { nullable: true, description: 'Who applied the change.' })
  changedBy(@Root() change: StageChange, @Ctx() ctx: Context): Promise<User | null> | null {
    return change.changedBy ? ctx.loaders.userById.load(change.changedBy) : null;
  }

  @FieldResolver(() => TransitionRequest, { nullable: true, description: 'The request that made the change, with its approvals and comments.' })
  request(@Root() change: StageChange, @Ctx() ctx: Context): Promise<TransitionRequest | null> | null {
    return change.requestId ? ctx.loaders.transitionRequestById.load(change.requestId) : null;
  }
}

@Resolver(() => ModelAlias)
export class ModelAliasResolver {
  @FieldResolver(() => ModelVersion, { description: 'The version the alias names.' })
  async modelVersion(@Root() alias: ModelAlias, @Ctx() ctx: Context): Promise<ModelVersion> {
    return (await ctx.loaders.modelVersionById.load(alias.modelVersionId)) as ModelVersion;
  }
}

@Resolver(() => PromotionPolicy)
export class PromotionPolicyResolver {
  constructor(private readonly governance: GovernanceService) {}

  @Authorized('OWNER')
  @Mutation(() => PromotionPolicy, { description: "Sets what a move to a stage needs, for one model or as the project's default. Needs OWNER." })
  setPromotionPolicy(@Arg('input') input: SetPromotionPolicyInput, @Ctx() ctx: Context): Promise<PromotionPolicy> {
    return this.governance.setPolicy(signedIn(ctx), input);
  }

  @Authorized('VIEWER')
  @Query(() => [PromotionPolicy], { description: 'The promotion policies of a project: project defaults and per-model ones. Needs VIEWER.' })
  promotionPolicies(@Arg('project') project: string, @Ctx() ctx: Context): Promise<PromotionPolicy[]> {
    return this.governance.listPolicies(signedIn(ctx), project);
  }

  @FieldResolver(() => RegisteredModel, { nullable: true, description: 'The model it applies to; null for the project default.' })
  model(@Root() policy: PromotionPolicy, @Ctx() ctx: Context): Promise<RegisteredModel | null> | null {
    return policy.modelId ? ctx.loaders.registeredModelById.load(policy.modelId) : null;
  }
}

/** Governance fields on the registry's types. */
@Resolver(() => ModelVersion)
export class ModelVersionGovernanceResolver {
  constructor(private readonly governance: GovernanceService) {}

  @Authorized('CONTRIBUTOR')
  @Mutation(() => ModelVersion, { description: 'Points an alias (e.g. "champion") at this version, moving it from any other version of the model. Needs CONTRIBUTOR.' })
  setModelAlias(@Arg('input') input: SetModelAliasInput, @Ctx() ctx: Context): Promise<ModelVersion> {
    return this.governance.setAlias(signedIn(ctx), input);
  }

  @Authorized('CONTRIBUTOR')
  @Mutation(() => Boolean, { description: 'Removes an alias from a model. Needs CONTRIBUTOR.' })
  removeModelAlias(@Arg('input') input: RemoveModelAliasInput, @Ctx() ctx: Context): Promise<boolean> {
    return this.governance.removeAlias(signedIn(ctx), input);
  }

  @FieldResolver(() => [String], { description: 'The aliases that name this version.' })
  async aliases(@Root() version: ModelVersion, @Ctx() ctx: Context): Promise<string[]> {
    return (await ctx.loaders.aliasesByVersionId.load(version.id)).map((alias) => alias.alias);
  }

  @FieldResolver(() => [StageChange], { description: 'Every stage change of this version, oldest first, with who, when and the request behind it.' })
  transitions(@Root() version: ModelVersion, @Ctx() ctx: Context): Promise<StageChange[]> {
    return ctx.loaders.stageChangesByVersionId.load(version.id);
  }

  @FieldResolver(() => [ModelVersion], { description: 'Other registered versions with the same artifact digest: the same bytes.' })
  async sameArtifactAs(@Root() version: ModelVersion, @Ctx() ctx: Context): Promise<ModelVersion[]> {
    return readableOnly(ctx, await ctx.loaders.versionsByDigest.load(version.artifactDigest)).filter((other) => other.id !== version.id);
  }
}

@Resolver(() => RegisteredModel)
export class RegisteredModelGovernanceResolver {
  constructor(private readonly governance: GovernanceService) {}

  @FieldResolver(() => [ModelAlias], { description: 'The aliases of the model and the versions they name.' })
  aliases(@Root() model: RegisteredModel, @Ctx() ctx: Context): Promise<ModelAlias[]> {
    return ctx.loaders.aliasesByModelId.load(model.id);
  }

  @FieldResolver(() => ModelVersion, { nullable: true, description: 'The version that was in `stage`, or that `alias` named, at time `at` (give exactly one of the two).' })
  versionAt(
    @Root() model: RegisteredModel,
    @Arg('at', () => Date) at: Date,
    @Arg('stage', () => Stage, { nullable: true }) stage: Stage | null,
    @Arg('alias', () => String, { nullable: true }) alias: string | null,
  ): Promise<ModelVersion | null> {
    return this.governance.versionAt(model, at, stage, alias);
  }
}
