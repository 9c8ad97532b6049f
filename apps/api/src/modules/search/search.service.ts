import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { projectForRole } from '../../common/auth/project-access';
import type { Viewer } from '../../common/auth/viewer';
import { badInput } from '../../common/errors/app-error';
import { type Page, decodeCursor, encodeCursor, pageSize, toPage } from '../../common/pagination/connection';
import { ModelVersion } from '../model/model.entity';
import { Run } from '../run/run.entity';
import { type Bind, type FieldResolver, compileFilter, parameterBinder } from './filter.compiler';
import { parseOrderTerm } from './filter.parser';
import { runField, versionField } from './search.fields';

export const MAX_ORDER_TERMS = 5;

/**
 * One key of the ordering, as SQL that is never NULL, so a cursor can compare with it exactly:
 * every term sorts its missing values last (`IS NULL` first), then the value itself, with times as
 * exact epoch microseconds.
 */
interface SortComponent {
  sql: string;
  descending: boolean;
  cast: 'boolean' | 'float8' | 'numeric' | 'text' | 'uuid';
}

function sortComponents(terms: string[], resolve: FieldResolver, bind: Bind, idColumn: string): SortComponent[] {
  if (terms.length > MAX_ORDER_TERMS) throw badInput(`orderBy takes at most ${MAX_ORDER_TERMS} terms`);
  const components = terms.flatMap((term) => {
    const { field, descending } = parseOrderTerm(term);
    const resolved = resolve(field, bind);
    if (typeof resolved === 'function') throw badInput(`orderBy: cannot order by ${field.text}; it is a condition, not a value`);
    const value =
      resolved.type === 'timestamp'
        ? { sql: `coalesce(extract(epoch FROM ${resolved.sql}), 0)`, cast: 'numeric' as const }
        : resolved.type === 'number'
          ? { sql: `coalesce(${resolved.sql}, 0)::float8`, cast: 'float8' as const }
          : { sql: `coalesce(${resolved.sql}, '')`, cast: 'text' as const };
    return [{ sql: `(${resolved.sql} IS NULL)`, descending: false, cast: 'boolean' as const }, { ...value, descending }];
  });
  // The id breaks every tie, so the order is total and pages neither skip nor repeat a row.
  // Parenthesised: TypeORM would otherwise map the entity's own id column to the sort alias.
  return [...components, { sql: `(${idColumn})`, descending: false, cast: 'uuid' }];
}

/** Rows after the cursor's row in the given order: (c1 > v1) OR (c1 = v1 AND c2 > v2) OR … */
function afterCursor(components: SortComponent[], values: unknown[], bind: Bind): string {
  const clauses = components.map((component, index) => {
    const equalBefore = components.slice(0, index).map((earlier, j) => `${earlier.sql} = ${bind(values[j])}::${earlier.cast}`);
    const beyond = `${component.sql} ${component.descending ? '<' : '>'} ${bind(values[index])}::${component.cast}`;
    return `(${[...equalBefore, beyond].join(' AND ')})`;
  });
  return `(${clauses.join(' OR ')})`;
}

async function searchPage<T extends ObjectLiteral & { id: string }>(
  query: SelectQueryBuilder<T>,
  alias: string,
  resolve: FieldResolver,
  filter: string | null | undefined,
  orderBy: string[] | null | undefined,
  defaultOrder: string[],
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<Page<T>> {
  const size = pageSize(first);
  if (filter?.trim()) {
    const compiled = compileFilter(filter, resolve);
    query.andWhere(compiled.sql, compiled.params);
  }
  const { bind, params } = parameterBinder('o');
  const components = sortComponents(orderBy?.length ? orderBy : defaultOrder, resolve, bind, `${alias}.id`);
  const totalCount = await query.clone().setParameters(params).getCount();
  if (after) {
    const values = decodeCursor(after);
    if (values.length !== components.length) throw badInput('after is a cursor of another ordering; pass pageInfo.endCursor of the same query');
    query.andWhere(afterCursor(components, values, bind));
  }
  components.forEach((component, index) => {
    query.addSelect(component.sql, `sort_${index}`);
    query.addOrderBy(`sort_${index}`, component.descending ? 'DESC' : 'ASC');
  });
  query.setParameters({ ...query.getParameters(), ...params }).limit(size + 1);
  const { entities, raw } = await query.getRawAndEntities();
  const cursorOf = new Map(entities.map((entity, index) => [entity, encodeCursor(components.map((_, c) => raw[index][`sort_${c}`]))]));
  return toPage(entities, size, totalCount, (entity) => cursorOf.get(entity) as string);
}

export class SearchService {
  constructor(private readonly dataSource: DataSource) {}

  async runs(viewer: Viewer, projectKey: string, filter: string | null | undefined, orderBy: string[] | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<Page<Run>> {
    const project = await projectForRole(this.dataSource.manager, viewer, projectKey, 'VIEWER');
    const query = this.dataSource.getRepository(Run).createQueryBuilder('run').where('run.project_id = :projectId', { projectId: project.id });
    return searchPage(query, 'run', runField, filter, orderBy, ['startedAt DESC'], first, after);
  }

  async modelVersions(viewer: Viewer, projectKey: string, filter: string | null | undefined, orderBy: string[] | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<Page<ModelVersion>> {
    const project = await projectForRole(this.dataSource.manager, viewer, projectKey, 'VIEWER');
    const query = this.dataSource
      .getRepository(ModelVersion)
      .createQueryBuilder('mv')
      .innerJoin('registered_model', 'rm', 'rm.id = mv.model_id')
      .innerJoin('run', 'run', 'run.id = mv.run_id')
      .where('mv.project_id = :projectId', { projectId: project.id });
    return searchPage(query, 'mv', versionField, filter, orderBy, ['createdAt DESC'], first, after);
  }
}
