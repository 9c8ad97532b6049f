import { badInput } from '../../common/errors/app-error';
import { RunStatus } from '../run/run.entity';
import { Stage } from '../model/model.entity';
import { type Comparison, type FieldRef, type FilterNode, type Value, parseFilter } from './filter.parser';

export type FieldType = 'text' | 'number' | 'timestamp';

/** A field as SQL: an expression over the query's aliases, with its type and, for enums, the values it takes. */
export interface ResolvedField {
  sql: string;
  type: FieldType;
  values?: readonly string[];
  /** A prefix field (a commit sha): `=` matches any value starting with the given text. */
  prefix?: boolean;
}

/** A field that is a condition of its own (lineage, aliases), compiled from the comparison as a whole. */
export type PredicateField = (comparison: Comparison, bind: Bind) => string;

export type Bind = (value: unknown) => string;

/** What a target (runs, model versions) lets a filter name. */
export type FieldResolver = (field: FieldRef, bind: Bind) => ResolvedField | PredicateField;

export interface CompiledFilter {
  sql: string;
  params: Record<string, unknown>;
}

function fail(at: number, message: string): never {
  throw badInput(`Filter, position ${at + 1}: ${message}`, { position: at + 1 });
}

/** Binds a literal as its field's type, or says why it cannot be one. */
function literal(field: FieldRef, resolved: ResolvedField, value: Value): unknown {
  switch (resolved.type) {
    case 'number':
      if (value.kind !== 'number') fail(value.at, `${field.text} is a number; "${value.value}" is not`);
      return value.value;
    case 'timestamp': {
      // MLflow writes times as milliseconds since the epoch; ISO 8601 text is accepted too.
      const date = value.kind === 'number' ? new Date(value.value) : new Date(value.value);
      if (Number.isNaN(date.getTime())) fail(value.at, `${field.text} is a time: give ISO 8601 text or milliseconds since 1970`);
      return date;
    }
    default: {
      const text = String(value.value);
      if (resolved.values && !resolved.values.includes(text.toUpperCase())) fail(value.at, `${field.text} is one of ${resolved.values.join(', ')}, not "${text}"`);
      return resolved.values ? text.toUpperCase() : text;
    }
  }
}

const SQL_OPERATOR = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' } as const;

function compileComparison(node: Comparison, resolve: FieldResolver, bind: Bind): string {
  const resolved = resolve(node.field, bind);
  if (typeof resolved === 'function') return resolved(node, bind);
  const { sql } = resolved;
  switch (node.type) {
    case 'null':
      return `${sql} IS ${node.negated ? 'NOT ' : ''}NULL`;
    case 'like':
      if (resolved.type !== 'text') fail(node.pattern.at, `${node.field.text} is a ${resolved.type}: LIKE compares text`);
      return `${sql} ${node.negated ? 'NOT ' : ''}${node.caseInsensitive ? 'ILIKE' : 'LIKE'} ${bind(String(node.pattern.value))}`;
    case 'in': {
      const values = node.values.map((value) => literal(node.field, resolved, value));
      const cast = { text: 'text', number: 'float8', timestamp: 'timestamptz' }[resolved.type];
      return node.negated ? `NOT (${sql} = ANY(${bind(values)}::${cast}[]))` : `${sql} = ANY(${bind(values)}::${cast}[])`;
    }
    case 'compare': {
      const value = literal(node.field, resolved, node.value);
      if (resolved.prefix && (node.op === '=' || node.op === '!=')) {
        return `${node.op === '!=' ? 'NOT ' : ''}starts_with(${sql}, ${bind(String(value).toLowerCase())})`;
      }
      return `${sql} ${SQL_OPERATOR[node.op]} ${bind(value)}`;
    }
  }
}

function compileNode(node: FilterNode, resolve: FieldResolver, bind: Bind): string {
  switch (node.type) {
    case 'and':
    case 'or':
      return `(${node.items.map((item) => compileNode(item, resolve, bind)).join(node.type === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `NOT (${compileNode(node.item, resolve, bind)})`;
    default:
      return `(${compileComparison(node, resolve, bind)})`;
  }
}

/** A binder of named parameters `:f0`, `:f1`… so that no value ever reaches SQL as text. */
export function parameterBinder(prefix = 'f'): { bind: Bind; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  const bind: Bind = (value) => {
    const name = `${prefix}${Object.keys(params).length}`;
    params[name] = value;
    return `:${name}`;
  };
  return { bind, params };
}

export function compileFilter(text: string, resolve: FieldResolver): CompiledFilter {
  const { bind, params } = parameterBinder();
  return { sql: compileNode(parseFilter(text), resolve, bind), params };
}

export const unknownField = (field: FieldRef, known: string): never => fail(field.at, `unknown field "${field.text}"; known fields: ${known}`);

/** `prefix.<key>` fields need their key. */
export function keyOf(field: FieldRef): string {
  const key = field.path.slice(1).join('.');
  if (!key) fail(field.at, `name the key, as in ${field.path[0]}.<key>`);
  if (key.length > 250) fail(field.at, 'keys are at most 250 characters');
  return key;
}

export const RUN_STATUSES = Object.values(RunStatus);
export const STAGES = Object.values(Stage);
