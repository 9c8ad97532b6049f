import type { DataSource } from 'typeorm';
import { projectForRole } from '../../common/auth/project-access';
import type { Viewer } from '../../common/auth/viewer';
import { lockKey } from '../../common/database/locks';
import { auditedTransaction, recordAudit } from '../audit/audit.service';
import { createLineageNode } from '../lineage/lineage.service';
import { NodeKind } from '../lineage/lineage.types';
import { CodeCommit } from './code-commit.entity';
import type { RecordCommitInput } from './commit.inputs';

export class CommitService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a commit, idempotent on (project, repository, sha): a commit's content never changes,
   * so a second record of the same sha returns the first.
   */
  record(viewer: Viewer, input: RecordCommitInput): Promise<CodeCommit> {
    const sha = input.sha.toLowerCase();
    return auditedTransaction(this.dataSource, async (manager) => {
      const project = await projectForRole(manager, viewer, input.project, 'CONTRIBUTOR');
      await lockKey(manager, `commit:${project.id}:${input.repository}:${sha}`);
      const existing = await manager.findOneBy(CodeCommit, { projectId: project.id, repository: input.repository, sha });
      if (existing) return existing;
      const id = await createLineageNode(manager, NodeKind.CodeCommit, project.id);
      const commit = await manager.save(
        manager.create(CodeCommit, {
          id,
          projectId: project.id,
          repository: input.repository,
          sha,
          branch: input.branch ?? null,
          author: input.author ?? null,
          message: input.message ?? null,
          committedAt: input.committedAt ?? null,
          dirty: input.dirty ?? false,
          createdBy: viewer.id,
        }),
      );
      recordAudit(manager, viewer, {
        action: 'commit.recorded',
        entityType: 'CodeCommit',
        entityId: id,
        projectId: project.id,
        after: { repository: commit.repository, sha, branch: commit.branch, dirty: commit.dirty },
      });
      return commit;
    });
  }
}
