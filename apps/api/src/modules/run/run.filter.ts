import { badInput } from '../../common/errors/app-error';
import { RunStatus } from './run.entity';

/**
 * The runs filter: comparisons joined by `and`, e.g.
 *   status = "FINISHED" and metrics.val_auc > 0.9 and params.optimizer = "adam" and tags.team != "x"
 * Fields: status, name, experiment, params.<key>, tags.<key>, metrics.<key> (latest value).
 * It compiles to a parameterised SQL condition over the alias `run`; no input is spliced into SQL.
 */
export interface CompiledFilter {
  sql: string;
  params: Record<string, unknown>;
}

type Token =
  | { type: 'word'; text: string; at: number }
  | { type: 'string'; text: string; at: number }
  | { type: 'number'; value: number; at: number }
  | { type: 'op'; text: string; at: number };

const MAX_FILTER_LENGTH = 2000;
/** A key with spaces or symbols is backquoted after its prefix: tags.`model type`. */
const TOKEN = /(?:(?<op>!=|<>|>=|<=|=|>|<)|"(?<dq>(?:[^"\\]|\\.)*)"|'(?<sq>(?:[^'\\]|\\.)*)'|(?<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?![\w.])|(?<word>[A-Za-z_][\w.\-/]*(?:`[^`]*`)?))/y;

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  for (;;) {
    while (/\s/.test(filter[at] ?? '')) at += 1;
    if (at >= filter.length) break;
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(filter);
    if (!match?.groups) throw badInput(`Cannot read the filter at position ${at + 1}: "${filter.slice(at, at + 20)}"`);
    const { op, dq, sq, num, word } = match.groups;
    if (op) tokens.push({ type: 'op', text: op === '<>' ? '!=' : op, at });
    else if (dq !== undefined || sq !== undefined) tokens.push({ type: 'string', text: (dq ?? sq).replace(/\\(.)/g, '$1'), at });
    else if (num !== undefined) tokens.push({ type: 'number', value: Number(num), at });
    else tokens.push({ type: 'word', text: word.replace(/`/g, ''), at });
    at = TOKEN.lastIndex;
  }
  return tokens;
}

export function compileRunFilter(filter: string): CompiledFilter {
  if (filter.length > MAX_FILTER_LENGTH) throw badInput(`filter must be at most ${MAX_FILTER_LENGTH} characters`);
  const tokens = tokenize(filter);
  const params: Record<string, unknown> = {};
  const bind = (value: unknown) => {
    const name = `filter${Object.keys(params).length}`;
    params[name] = value;
    return `:${name}`;
  };
  const conditions: string[] = [];
  let i = 0;
  const expected = (what: string): never => {
    const token = tokens[i];
    throw badInput(token ? `Filter: expected ${what} at position ${token.at + 1}` : `Filter: expected ${what} at the end`);
  };
  while (i < tokens.length || conditions.length === 0) {
    if (conditions.length > 0) {
      const joiner = tokens[i];
      if (joiner?.type !== 'word' || joiner.text.toLowerCase() !== 'and') expected('"and"');
      i += 1;
    }
    const field = tokens[i];
    if (field?.type !== 'word') expected('a field such as status, name, experiment, params.<key>, tags.<key> or metrics.<key>');
    const op = tokens[i + 1];
    if (op?.type !== 'op') {
      i += 1;
      expected('a comparison (=, !=, >, >=, <, <=)');
    }
    const value = tokens[i + 2];
    if (value?.type !== 'string' && value?.type !== 'number') {
      i += 2;
      expected('a quoted string or a number');
    }
    conditions.push(condition((field as { text: string }).text, (op as { text: string }).text, value as Token, bind, field.at));
    i += 3;
  }
  return { sql: conditions.map((sql) => `(${sql})`).join(' AND '), params };
}

function condition(field: string, op: string, value: Token, bind: (value: unknown) => string, at: number): string {
  const [head, ...rest] = field.split('.');
  const key = rest.join('.');
  const text = () => {
    if (value.type !== 'string') throw badInput(`Filter: ${field} compares with a quoted string (position ${value.at + 1})`);
    if (op !== '=' && op !== '!=') throw badInput(`Filter: ${field} takes = or != (position ${at + 1})`);
    return value.text;
  };
  const equality = op === '=' ? '=' : '<>';
  switch (head.toLowerCase()) {
    case 'status': {
      const status = text().toUpperCase();
      if (!(status in RunStatus)) throw badInput(`Filter: status must be one of ${Object.keys(RunStatus).join(', ')}`);
      return `run.status ${equality} ${bind(status)}`;
    }
    case 'name':
      return `run.name ${equality} ${bind(text())}`;
    case 'experiment':
      return `${op === '=' ? '' : 'NOT '}EXISTS (SELECT 1 FROM experiment x WHERE x.id = run.experiment_id AND x.name = ${bind(text())})`;
    case 'params':
    case 'tags': {
      if (!key) throw badInput(`Filter: name the key, as in ${head}.<key> (position ${at + 1})`);
      const table = head.toLowerCase() === 'params' ? 'run_param' : 'run_tag';
      return `EXISTS (SELECT 1 FROM ${table} kv WHERE kv.run_id = run.id AND kv.key = ${bind(key)} AND kv.value ${equality} ${bind(text())})`;
    }
    case 'metrics': {
      if (!key) throw badInput(`Filter: name the metric, as in metrics.<key> (position ${at + 1})`);
      if (value.type !== 'number') throw badInput(`Filter: ${field} compares with a number (position ${value.at + 1})`);
      const sqlOp = op === '!=' ? '<>' : op;
      return `(SELECT m.value FROM metric_point m WHERE m.run_id = run.id AND m.key = ${bind(key)} ORDER BY m.step DESC, m.timestamp DESC LIMIT 1) ${sqlOp} ${bind(value.value)}`;
    }
    default:
      throw badInput(`Filter: unknown field "${field}" at position ${at + 1}; use status, name, experiment, params.<key>, tags.<key> or metrics.<key>`);
  }
}
