import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Matches, Min } from 'class-validator';
import { ConnectionType, type Page } from '../../common/pagination/connection';
import { type Context, signedIn } from '../../context';
import { User } from '../user/user.entity';
import { AuditEvent } from './audit-event.entity';
import type { AuditService } from './audit.service';

export const AuditEventConnection = ConnectionType('AuditEvent', AuditEvent);

@ObjectType('AuditHead', { description: "The latest event of a project's chain: publish it elsewhere to detect a rewrite later." })
export class AuditHead {
  @Field(() => Int, { description: 'Its sequence number; 0 for an empty chain.' })
  seq!: number;

  @Field({ description: 'Its hash; 64 zeros for an empty chain.' })
  hash!: string;
}

@InputType('AuditHeadInput', { description: 'A head published earlier, to check the chain still leads through it.' })
export class AuditHeadInput {
  @Field(() => Int, { description: 'Sequence number of the published head.' })
  @Min(1)
  seq!: number;

  @Field({ description: 'Its hash.' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'hash must be 64 lowercase hex characters' })
  hash!: string;
}

@ObjectType('AuditChainReport', { description: 'The result of recomputing a chain from its first event.' })
export class AuditChainReport {
  @Field({ description: 'True when every event links to the one before and matches its hash (and the published head, if given).' })
  valid!: boolean;

  @Field(() => Int, { description: 'Events checked before the end or the first break.' })
  checkedEvents!: number;

  @Field(() => Int, { nullable: true, description: 'The first sequence number where the chain breaks.' })
  firstBrokenSeq!: number | null;

  @Field(() => String, { nullable: true, description: 'What is wrong there, in words.' })
  problem!: string | null;
}

@Resolver(() => AuditEvent)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Authorized('VIEWER')
  @Query(() => AuditEventConnection, { description: "A project's audit events, newest first, filtered by action, actor, entity and time [since, until). Needs VIEWER." })
  auditEvents(
    @Arg('project') project: string,
    @Arg('first', () => Int, { nullable: true, description: '1 to 100; default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('action', () => String, { nullable: true }) action: string | null,
    @Arg('actorId', () => ID, { nullable: true }) actorId: string | null,
    @Arg('entityId', () => ID, { nullable: true }) entityId: string | null,
    @Arg('since', () => Date, { nullable: true }) since: Date | null,
    @Arg('until', () => Date, { nullable: true }) until: Date | null,
    @Ctx() ctx: Context,
  ): Promise<Page<AuditEvent>> {
    return this.audit.list(signedIn(ctx), project, { action, actorId, entityId, since, until }, first, after);
  }

  @Authorized('VIEWER')
  @Query(() => AuditHead, { description: "The latest event of a project's chain. Needs VIEWER." })
  auditHead(@Arg('project') project: string, @Ctx() ctx: Context): Promise<AuditHead> {
    return this.audit.head(signedIn(ctx), project);
  }

  @Authorized('VIEWER')
  @Query(() => AuditChainReport, { description: "Recomputes a project's chain from its first event, and checks it still leads through `expectedHead` when given. Needs VIEWER." })
  verifyAuditChain(
    @Arg('project') project: string,
    @Arg('expectedHead', () => AuditHeadInput, { nullable: true }) expectedHead: AuditHeadInput | null,
    @Ctx() ctx: Context,
  ): Promise<AuditChainReport> {
    return this.audit.verify(signedIn(ctx), project, expectedHead);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who acted; null for the system or an anonymous attempt.' })
  actor(@Root() event: AuditEvent, @Ctx() ctx: Context): Promise<User | null> | null {
    return event.actorUserId ? ctx.loaders.userById.load(event.actorUserId) : null;
  }
}
