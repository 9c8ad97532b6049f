import type { ProjectRole } from '@pedigree/shared';
import { isUUID } from 'class-validator';
import { type EntityManager, type EntityTarget, type FindOptionsWhere, In, type ObjectLiteral } from 'typeorm';
import { AppError, AppErrorCode, notFound } from '../errors/app-error';
import { Project } from '../../modules/project/project.entity';
import type { Viewer } from './viewer';

/** The project with this key, if the viewer holds `needed` in it; outsiders get NOT_FOUND. */
export async function projectForRole(manager: EntityManager, viewer: Viewer, key: string, needed: ProjectRole): Promise<Project> {
  const project = await manager.findOneBy(Project, { key });
  if (!project || !viewer.canRead(project.id)) throw notFound(`Project "${key}"`);
  viewer.require(project.id, needed, `Project "${key}"`);
  return project;
}

/**
 * A project-owned row by id, if the viewer holds `needed` in its project. `lock` takes a row lock
 * for the rest of the transaction, for rules that must see the latest state (a run's status).
 */
export async function rowForRole<T extends ObjectLiteral & { projectId: string }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  id: string,
  viewer: Viewer,
  needed: ProjectRole,
  what: string,
  lock?: 'pessimistic_write' | 'pessimistic_read',
): Promise<T> {
  const label = `${what} ${id}`;
  if (!isUUID(id)) throw notFound(label);
  const row = await manager.findOne(entity, { where: { id } as unknown as FindOptionsWhere<T>, lock: lock ? { mode: lock } : undefined });
  if (!row || !viewer.canRead(row.projectId)) throw notFound(label);
  viewer.require(row.projectId, needed, label);
  return row;
}

/**
 * Several project-owned rows by id in one query, in the order asked, each needing `needed` in its
 * own project: lineage may cross projects (data of one team consumed by another's run).
 */
export async function rowsForRole<T extends ObjectLiteral & { id: string; projectId: string }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  ids: readonly string[],
  viewer: Viewer,
  needed: ProjectRole,
  what: string,
): Promise<T[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const invalid = unique.filter((id) => !isUUID(id));
  const rows = invalid.length ? [] : await manager.find(entity, { where: { id: In(unique) } as unknown as FindOptionsWhere<T> });
  const byId = new Map(rows.filter((row) => viewer.canRead(row.projectId)).map((row) => [row.id, row]));
  const missing = unique.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    throw new AppError(AppErrorCode.NOT_FOUND, `${what} ${missing.join(', ')} not found, or you have no access to ${missing.length > 1 ? 'them' : 'it'}`, { missing });
  }
  for (const row of byId.values()) viewer.require(row.projectId, needed, `${what} ${row.id}`);
  return unique.map((id) => byId.get(id) as T);
}
