import { isUUID } from 'class-validator';
import DataLoader from 'dataloader';
import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { preparedQuery } from './database/prepared';

/**
 * Reads whole entities whose `column` is one of the given values, in `orderBy` order. The SQL is
 * built once per reader from the entity's metadata and rows are hydrated column by column as
 * TypeORM would (transformers included): building the query anew for every batch cost more CPU
 * than the query itself.
 */
function entityReader<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  column: keyof T & string,
  orderBy: Partial<Record<keyof T & string, 'ASC' | 'DESC'>> = {},
): (values: readonly string[]) => Promise<T[]> {
  // Loaders are made per request; the readers behind them live as long as their data source.
  let readers = readersByDataSource.get(dataSource);
  if (!readers) readersByDataSource.set(dataSource, (readers = new Map()));
  let forEntity = readers.get(entity);
  if (!forEntity) readers.set(entity, (forEntity = new Map()));
  const key = `${column} ${JSON.stringify(orderBy)}`;
  let reader = forEntity.get(key);
  if (!reader) forEntity.set(key, (reader = buildEntityReader(dataSource, dataSource.getMetadata(entity), column, orderBy)));
  return reader as (values: readonly string[]) => Promise<T[]>;
}

type Reader = (values: readonly string[]) => Promise<ObjectLiteral[]>;
const readersByDataSource = new WeakMap<DataSource, Map<unknown, Map<string, Reader>>>();

function buildEntityReader(dataSource: DataSource, metadata: EntityMetadata, column: string, orderBy: Record<string, 'ASC' | 'DESC' | undefined>) {
  const columnOf = (property: string) => {
    const found = metadata.findColumnWithPropertyName(property);
    if (!found) throw new Error(`${metadata.name} has no column ${property}`);
    return found;
  };
  const filter = columnOf(column);
  const order = Object.entries(orderBy).map(([property, direction]) => `"${columnOf(property).databaseName}" ${direction}`);
  const where = `"${filter.databaseName}" = ANY($1::${dataSource.driver.normalizeType(filter)}[])${order.length ? ` ORDER BY ${order.join(', ')}` : ''}`;
  const read = entityQuery<ObjectLiteral>(dataSource, metadata.target, where);
  return (values: readonly string[]) => read([values]);
}

/**
 * Reads whole entities with the given SQL after `WHERE` (`$1`… for parameters), hydrated as
 * TypeORM would. The statement is built at the first read (the data source is initialised by
 * then) and kept.
 */
export function entityQuery<T extends ObjectLiteral>(dataSource: DataSource, entity: EntityTarget<T>, where: string): (parameters: unknown[]) => Promise<T[]> {
  let statement: { sql: string; metadata: EntityMetadata } | undefined;
  return async (parameters) => {
    if (!statement) {
      const metadata = dataSource.getMetadata(entity);
      statement = { metadata, sql: `SELECT ${metadata.columns.map((each) => `"${each.databaseName}"`).join(', ')} FROM "${metadata.tableName}" WHERE ${where}` };
    }
    const { metadata, sql } = statement;
    const rows = await preparedQuery<Record<string, unknown>>(dataSource, sql, parameters);
    return rows.map((row) => {
      const hydrated = metadata.create() as T;
      for (const each of metadata.columns) each.setEntityValue(hydrated, dataSource.driver.prepareHydratedValue(row[each.databaseName], each));
      return hydrated;
    });
  };
}

/** A loader of rows by primary key: one `WHERE id = ANY(...)` per batch, `null` for a miss or a malformed id. */
export function rowsByIdLoader<T extends ObjectLiteral & { id: string }>(dataSource: DataSource, entity: EntityTarget<T>) {
  const read = entityReader(dataSource, entity, 'id');
  return new DataLoader<string, T | null>(async (ids) => {
    const wellFormed = ids.filter((id) => isUUID(id));
    const rows = wellFormed.length ? await read(wellFormed) : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** A loader of the rows that share a key (all params of a run, all versions of a model), in fetch order. */
export function rowsGroupedLoader<T>(fetch: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>();
    for (const row of await fetch([...keys])) {
      const key = keyOf(row);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/** A loader of the rows whose `column` is the key (all params of a run, all versions of a model), in `orderBy` order. */
export function rowsByColumnLoader<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  column: keyof T & string,
  orderBy: Partial<Record<keyof T & string, 'ASC' | 'DESC'>>,
) {
  return rowsGroupedLoader(entityReader(dataSource, entity, column, orderBy), (row) => row[column] as string);
}

/** `loadMany` reports a failed key as an Error in its slot; a missing row is as good as none here. */
export function orNull<T>(results: Array<T | Error>): Array<T | null> {
  return results.map((result) => (result instanceof Error ? null : result));
}
