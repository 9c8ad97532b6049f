import { badInput } from '../../common/errors/app-error';
import { type Bind, type FieldResolver, RUN_STATUSES, type ResolvedField, STAGES, keyOf, unknownField } from './filter.compiler';
import type { Comparison, FieldRef } from './filter.parser';

/**
 * The fields a filter or an ordering may name, as SQL over the aliases of the search queries:
 * `run` for runs; `mv`, `rm` (its registered model) and `run` (its source run) for model versions.
 * Names from MLflow's search strings are accepted beside Pedigree's own.
 */
const RUN_FIELDS = 'status, name, experiment, startedAt, endedAt, commit, id, params.<key>, tags.<key>, metrics.<key>, consumed, baseModel';
const VERSION_FIELDS = 'model, version, stage, alias, createdAt, createdBy, run_id, tags.<key> (of the source run), metrics.<key> (of the source run), run.<run field>';

/** Equality on one text value, or IN a list: the forms a lineage or alias predicate takes. */
function equalityValues(comparison: Comparison, what: string): { values: string[]; negated: boolean } {
  if (comparison.type === 'compare' && (comparison.op === '=' || comparison.op === '!=')) {
    return { values: [String(comparison.value.value)], negated: comparison.op === '!=' };
  }
  if (comparison.type === 'in') return { values: comparison.values.map((value) => String(value.value)), negated: comparison.negated };
  throw badInput(`Filter, position ${comparison.at + 1}: ${what} takes =, != or IN`, { position: comparison.at + 1 });
}

function existsPredicate(subquery: (values: string, bind: Bind) => string, what: string, transform: (value: string) => unknown = (value) => value) {
  return (comparison: Comparison, bind: Bind) => {
    const { values, negated } = equalityValues(comparison, what);
    return `${negated ? 'NOT ' : ''}EXISTS (${subquery(bind(values.map(transform)), bind)})`;
  };
}

/** "model@version" of a base model, as MLflow users name one. */
function baseModelRef(value: string): { model: string; version: number } {
  const match = /^(.+)@(\d+)$/.exec(value);
  if (!match) throw badInput(`baseModel takes "<model>@<version>", e.g. "bert-base@3"; got "${value}"`);
  return { model: match[1], version: Number(match[2]) };
}

/** The fields of a run, over the alias `run`. */
export const runField: FieldResolver = (field: FieldRef, bind: Bind): ResolvedField | ReturnType<typeof existsPredicate> => {
  const path = field.path[0].toLowerCase() === 'attributes' ? field.path.slice(1) : field.path;
  const [head = ''] = path;
  const keyed = { ...field, path };
  switch (head.toLowerCase()) {
    case 'status':
      return { sql: 'run.status', type: 'text', values: RUN_STATUSES };
    case 'name':
    case 'run_name':
      return { sql: 'run.name', type: 'text' };
    case 'id':
    case 'run_id':
      return { sql: 'run.id::text', type: 'text' };
    case 'experiment':
    case 'experiment_name':
      return { sql: '(SELECT x.name FROM experiment x WHERE x.id = run.experiment_id)', type: 'text' };
    case 'startedat':
    case 'start_time':
      return { sql: 'run.started_at', type: 'timestamp' };
    case 'endedat':
    case 'end_time':
      return { sql: 'run.ended_at', type: 'timestamp' };
    case 'commit':
      return { sql: '(SELECT c.sha FROM code_commit c WHERE c.id = run.commit_id)', type: 'text', prefix: true };
    case 'params':
    case 'param':
      return { sql: `(SELECT p.value FROM run_param p WHERE p.run_id = run.id AND p.key = ${bind(keyOf(keyed))})`, type: 'text' };
    case 'tags':
    case 'tag':
      return { sql: `(SELECT t.value FROM run_tag t WHERE t.run_id = run.id AND t.key = ${bind(keyOf(keyed))})`, type: 'text' };
    case 'metrics':
    case 'metric':
      return { sql: `(SELECT m.value FROM run_metric_latest m WHERE m.run_id = run.id AND m.key = ${bind(keyOf(keyed))})`, type: 'number' };
    case 'consumed':
      return existsPredicate(
        (hashes) => `SELECT 1 FROM lineage_edge e JOIN data_version dv ON dv.id = e.src_id WHERE e.dst_id = run.id AND e.relation = 'CONSUMED' AND dv.content_hash = ANY(${hashes}::text[])`,
        'consumed',
        (hash) => hash.toLowerCase(),
      );
    case 'basemodel':
      return (comparison: Comparison, bind: Bind) => {
        const { values, negated } = equalityValues(comparison, 'baseModel');
        const refs = values.map(baseModelRef);
        return `${negated ? 'NOT ' : ''}EXISTS (SELECT 1 FROM lineage_edge e JOIN model_version b ON b.id = e.src_id JOIN registered_model bm ON bm.id = b.model_id
          WHERE e.dst_id = run.id AND e.relation = 'CONSUMED' AND (bm.name, b.version) IN (SELECT * FROM unnest(${bind(refs.map((ref) => ref.model))}::text[], ${bind(refs.map((ref) => ref.version))}::int[])))`;
      };
    default:
      return unknownField(field, RUN_FIELDS);
  }
};

/** The fields of a model version, over `mv`, `rm` and its source run `run`. */
export const versionField: FieldResolver = (field: FieldRef, bind: Bind) => {
  const [head = ''] = field.path;
  switch (head.toLowerCase()) {
    case 'model':
    case 'name':
      return { sql: 'rm.name', type: 'text' };
    case 'version':
    case 'version_number':
      return { sql: 'mv.version', type: 'number' };
    case 'stage':
    case 'current_stage':
      return { sql: 'mv.stage', type: 'text', values: STAGES };
    case 'createdat':
    case 'creation_timestamp':
      return { sql: 'mv.created_at', type: 'timestamp' };
    case 'createdby':
      return { sql: '(SELECT u.email FROM app_user u WHERE u.id = mv.created_by)', type: 'text' };
    case 'run_id':
      return { sql: 'mv.run_id::text', type: 'text' };
    case 'alias':
      return existsPredicate((aliases) => `SELECT 1 FROM model_alias a WHERE a.model_version_id = mv.id AND a.alias = ANY(${aliases}::text[])`, 'alias');
    case 'tags':
    case 'tag':
    case 'metrics':
    case 'metric':
      return runField(field, bind);
    case 'run':
      if (field.path.length < 2) return unknownField(field, VERSION_FIELDS);
      return runField({ ...field, path: field.path.slice(1) }, bind);
    default:
      return unknownField(field, VERSION_FIELDS);
  }
};
