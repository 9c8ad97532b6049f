import type { DataSource } from 'typeorm';
import { projectForRole } from '../../common/auth/project-access';
import type { Viewer } from '../../common/auth/viewer';
import { lockKey } from '../../common/database/locks';
import { badInput, conflict, notFound } from '../../common/errors/app-error';
import { isUniqueViolation } from '../../common/errors/postgres-errors';
import { auditedTransaction, recordAudit } from '../audit/audit.service';
import { resyncProjectGroupMembers } from './group-membership';
import { MembershipSource, ProjectMember } from './project-member.entity';
import { ProjectGroupRole } from './project-group-role.entity';
import type { AddProjectMemberInput, CreateProjectInput, SetProjectGroupRoleInput } from './project.inputs';
import { Project } from './project.entity';

export class ProjectService {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates a project; its creator becomes its first OWNER. */
  async create(viewer: Viewer, input: CreateProjectInput): Promise<Project> {
    try {
      return await auditedTransaction(this.dataSource, async (manager) => {
        const project = await manager.save(manager.create(Project, { key: input.key, name: input.name.trim(), description: input.description ?? null }));
        await manager.insert(ProjectMember, { projectId: project.id, userId: viewer.id, role: 'OWNER' });
        recordAudit(manager, viewer, {
          action: 'project.created',
          entityType: 'Project',
          entityId: project.id,
          projectId: project.id,
          after: { key: project.key, name: project.name, owner: viewer.user.email },
        });
        return project;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`A project with key "${input.key}" already exists; pick another key`);
      throw error;
    }
  }

  async addMember(viewer: Viewer, input: AddProjectMemberInput): Promise<ProjectMember> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const project = await projectForRole(manager, viewer, input.project, 'OWNER');
      const [user] = await manager.query(`SELECT id FROM app_user WHERE lower(email) = lower($1)`, [input.email.trim()]);
      if (!user) throw notFound(`User ${input.email}`);
      const before = await manager.findOneBy(ProjectMember, { projectId: project.id, userId: user.id });
      if (before?.role === 'OWNER' && input.role !== 'OWNER') {
        const owners = await manager.countBy(ProjectMember, { projectId: project.id, role: 'OWNER' });
        if (owners <= 1) throw badInput(`${input.email} is the last OWNER of "${project.key}"; make someone else OWNER first`);
      }
      // A hand-granted role takes over from a group-derived one, and sign-ins leave it alone from then on.
      await manager.upsert(ProjectMember, { projectId: project.id, userId: user.id, role: input.role, source: MembershipSource.MANUAL }, ['projectId', 'userId']);
      recordAudit(manager, viewer, {
        action: before ? 'project_member.role_changed' : 'project_member.added',
        entityType: 'ProjectMember',
        entityId: user.id,
        projectId: project.id,
        before: before ? { email: input.email, role: before.role, source: before.source } : null,
        after: { email: input.email, role: input.role, source: MembershipSource.MANUAL },
      });
      return manager.findOneByOrFail(ProjectMember, { projectId: project.id, userId: user.id });
    });
  }

  /** Maps a group to a role in the project, and applies it at once to the group's members who signed in before. */
  setGroupRole(viewer: Viewer, input: SetProjectGroupRoleInput): Promise<ProjectGroupRole> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const project = await projectForRole(manager, viewer, input.project, 'OWNER');
      await lockKey(manager, `group-role:${project.id}:${input.group}`);
      const before = await manager.findOneBy(ProjectGroupRole, { projectId: project.id, groupName: input.group });
      await manager.upsert(ProjectGroupRole, { projectId: project.id, groupName: input.group, role: input.role, updatedBy: viewer.id, updatedAt: new Date() }, ['projectId', 'groupName']);
      recordAudit(manager, viewer, {
        action: 'project_group_role.set',
        entityType: 'ProjectGroupRole',
        entityId: input.group,
        projectId: project.id,
        before: before ? { group: input.group, role: before.role } : null,
        after: { group: input.group, role: input.role },
      });
      await resyncProjectGroupMembers(manager, viewer, project.id, input.group);
      return manager.findOneByOrFail(ProjectGroupRole, { projectId: project.id, groupName: input.group });
    });
  }

  /** Removes a group's mapping; members who had their role only through it lose it at once. */
  removeGroupRole(viewer: Viewer, projectKey: string, group: string): Promise<boolean> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const project = await projectForRole(manager, viewer, projectKey, 'OWNER');
      await lockKey(manager, `group-role:${project.id}:${group}`);
      const before = await manager.findOneBy(ProjectGroupRole, { projectId: project.id, groupName: group });
      if (!before) throw notFound(`Group "${group}" mapping in project "${project.key}"`);
      await manager.delete(ProjectGroupRole, { projectId: project.id, groupName: group });
      recordAudit(manager, viewer, { action: 'project_group_role.removed', entityType: 'ProjectGroupRole', entityId: group, projectId: project.id, before: { group, role: before.role } });
      await resyncProjectGroupMembers(manager, viewer, project.id, group);
      return true;
    });
  }

  async listGroupRoles(viewer: Viewer, projectKey: string): Promise<ProjectGroupRole[]> {
    const project = await projectForRole(this.dataSource.manager, viewer, projectKey, 'VIEWER');
    return this.dataSource.getRepository(ProjectGroupRole).find({ where: { projectId: project.id }, order: { groupName: 'ASC' } });
  }

  /** The viewer's projects, filtered in SQL by membership. */
  listForViewer(viewer: Viewer): Promise<Project[]> {
    const ids = viewer.readableProjectIds;
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(Project).createQueryBuilder('p').where('p.id = ANY(:ids)', { ids }).orderBy('p.key').getMany();
  }

  async byKey(viewer: Viewer, key: string): Promise<Project | null> {
    const project = await this.dataSource.getRepository(Project).findOneBy({ key });
    return project && viewer.canRead(project.id) ? project : null;
  }
}
