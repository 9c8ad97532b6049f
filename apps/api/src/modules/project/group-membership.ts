import { type ProjectRole, roleRank } from '@pedigree/shared';
import { type EntityManager, In } from 'typeorm';
import type { Viewer } from '../../common/auth/viewer';
import { recordAudit } from '../audit/audit.service';
import { MembershipSource, ProjectMember } from './project-member.entity';
import { ProjectGroupRole } from './project-group-role.entity';

export interface GroupMember {
  id: string;
  email: string;
  /** Every group the user's identity provider asserted at their last sign-in. */
  groups: readonly string[];
}

/** Per project, the highest role any of the groups maps to, and the group that grants it. */
async function rolesFromGroups(manager: EntityManager, groups: readonly string[], projectId?: string): Promise<Map<string, { role: ProjectRole; group: string }>> {
  const granted = new Map<string, { role: ProjectRole; group: string }>();
  if (groups.length === 0) return granted;
  const mappings = await manager.find(ProjectGroupRole, { where: { groupName: In([...groups]), ...(projectId ? { projectId } : {}) }, order: { groupName: 'ASC' } });
  for (const { projectId: project, role, groupName } of mappings) {
    const held = granted.get(project);
    if (!held || roleRank(role) > roleRank(held.role)) granted.set(project, { role, group: groupName });
  }
  return granted;
}

/**
 * Brings the user's GROUP memberships in line with their groups: adds, changes and removes them,
 * each with its audit event on the project's chain. MANUAL memberships are never touched, and a
 * project where the user holds one gets no GROUP membership. `projectId` limits this to one
 * project, whose mappings changed; `actor` is who changed them, or null at a sign-in.
 */
export async function syncGroupMemberships(manager: EntityManager, actor: Viewer | null, user: GroupMember, projectId?: string): Promise<void> {
  const wanted = await rolesFromGroups(manager, user.groups, projectId);
  const held = await manager.find(ProjectMember, { where: { userId: user.id, ...(projectId ? { projectId } : {}) }, lock: { mode: 'pessimistic_write' } });
  const heldByProject = new Map(held.map((member) => [member.projectId, member]));
  const audit = (action: string, project: string, before: ProjectRole | null, after: { role: ProjectRole; group: string } | null) =>
    recordAudit(manager, actor, {
      action,
      entityType: 'ProjectMember',
      entityId: user.id,
      projectId: project,
      before: before ? { email: user.email, role: before, source: MembershipSource.GROUP } : null,
      after: after ? { email: user.email, role: after.role, source: MembershipSource.GROUP, group: after.group } : null,
      comment: actor ? 'group role mapping changed' : 'groups asserted at single sign-on',
    });

  for (const [project, grant] of wanted) {
    const member = heldByProject.get(project);
    if (member?.source === MembershipSource.MANUAL) continue;
    if (!member) {
      await manager.insert(ProjectMember, { projectId: project, userId: user.id, role: grant.role, source: MembershipSource.GROUP });
      audit('project_member.added', project, null, grant);
    } else if (member.role !== grant.role) {
      await manager.update(ProjectMember, { projectId: project, userId: user.id }, { role: grant.role });
      audit('project_member.role_changed', project, member.role, grant);
    }
  }
  for (const member of held) {
    if (member.source !== MembershipSource.GROUP || wanted.has(member.projectId)) continue;
    await manager.delete(ProjectMember, { projectId: member.projectId, userId: user.id });
    audit('project_member.removed', member.projectId, member.role, null);
  }
}

/**
 * After a project's mapping of `changedGroup` changed: re-derives the GROUP memberships in that
 * project of every user in that group or holding a GROUP membership there, from the groups of
 * their last sign-in, so a changed or removed mapping does not wait for the next sign-in.
 */
export async function resyncProjectGroupMembers(manager: EntityManager, actor: Viewer, projectId: string, changedGroup: string): Promise<void> {
  const users: GroupMember[] = await manager.query(
    `SELECT u.id, u.email, array(SELECT DISTINCT unnest(groups) FROM user_identity WHERE user_id = u.id) AS groups
       FROM app_user u
      WHERE u.deactivated_at IS NULL
        AND (EXISTS (SELECT 1 FROM user_identity i WHERE i.user_id = u.id AND i.groups @> ARRAY[$2]::text[])
             OR EXISTS (SELECT 1 FROM project_member m WHERE m.user_id = u.id AND m.project_id = $1 AND m.source = 'GROUP'))
      ORDER BY u.id`,
    [projectId, changedGroup],
  );
  for (const user of users) await syncGroupMemberships(manager, actor, user, projectId);
}
