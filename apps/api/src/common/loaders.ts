import { isUUID } from 'class-validator';
import DataLoader from 'dataloader';
import { type DataSource, type EntityTarget, type FindOptionsWhere, In, type ObjectLiteral } from 'typeorm';

/** A loader of rows by primary key: one `WHERE id IN (...)` per batch, `null` for a miss or a malformed id. */
export function rowsByIdLoader<T extends ObjectLiteral & { id: string }>(dataSource: DataSource, entity: EntityTarget<T>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const wellFormed = ids.filter((id) => isUUID(id));
    const rows = wellFormed.length ? await dataSource.getRepository(entity).findBy({ id: In(wellFormed) } as FindOptionsWhere<T>) : [];
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

/** `loadMany` reports a failed key as an Error in its slot; a missing row is as good as none here. */
export function orNull<T>(results: Array<T | Error>): Array<T | null> {
  return results.map((result) => (result instanceof Error ? null : result));
}
