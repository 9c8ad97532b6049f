import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { type Context, signedIn } from '../../context';
import { CodeCommit } from './code-commit.entity';
import { RecordCommitInput } from './commit.inputs';
import type { CommitService } from './commit.service';

@Resolver(() => CodeCommit)
export class CommitResolver {
  constructor(private readonly commits: CommitService) {}

  @Authorized('CONTRIBUTOR')
  @Mutation(() => CodeCommit, { description: 'Records a code commit; idempotent on (project, repository, sha). Needs CONTRIBUTOR.' })
  recordCommit(@Arg('input') input: RecordCommitInput, @Ctx() ctx: Context): Promise<CodeCommit> {
    return this.commits.record(signedIn(ctx), input);
  }
}
