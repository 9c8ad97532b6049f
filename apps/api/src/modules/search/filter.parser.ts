import { badInput } from '../../common/errors/app-error';

/**
 * The filter language shared by runs and model versions, read by a recursive-descent parser into a
 * tree whose every node remembers where it started, so errors can say where and what was expected.
 *
 *   expr       := or
 *   or         := and ('or' and)*
 *   and        := not ('and' not)*
 *   not        := 'not' not | '(' expr ')' | comparison
 *   comparison := field ( op value | ['not'] ('like' | 'ilike') string | ['not'] 'in' '(' value {',' value} ')'
 *                       | 'is' ['not'] 'null' )
 *   field      := name {'.' (name | `quoted`)} | `quoted`        (MLflow's backticks: metrics.`val loss`)
 *   value      := 'single' | "double" | number
 *
 * Keywords are case-insensitive. Nothing here builds SQL: see the compiler.
 */

export type Value = { kind: 'string'; value: string; at: number } | { kind: 'number'; value: number; at: number };

export type Comparison =
  | { type: 'compare'; field: FieldRef; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: Value; at: number }
  | { type: 'like'; field: FieldRef; negated: boolean; caseInsensitive: boolean; pattern: Value; at: number }
  | { type: 'in'; field: FieldRef; negated: boolean; values: Value[]; at: number }
  | { type: 'null'; field: FieldRef; negated: boolean; at: number };

export type FilterNode = Comparison | { type: 'and' | 'or'; items: FilterNode[]; at: number } | { type: 'not'; item: FilterNode; at: number };

export interface FieldRef {
  /** The dotted path as written, backticks removed: ["metrics", "val loss"]. */
  path: string[];
  text: string;
  at: number;
}

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'quoted'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'symbol'; text: string; at: number }
  | { kind: 'end'; at: number };

export const MAX_FILTER_LENGTH = 4000;
const MAX_NESTING = 50;

/** Positions in messages count from 1, as an editor shows columns. */
function failAt(at: number, message: string): never {
  throw badInput(`Filter, position ${at + 1}: ${message}`, { position: at + 1 });
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    const at = i;
    if (char === '"' || char === "'") {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) failAt(at, `the string starting here is not closed with ${char}`);
        if (text[i] === '\\' && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else if (text[i] === char) {
          i += 1;
          break;
        } else {
          value += text[i];
          i += 1;
        }
      }
      tokens.push({ kind: 'string', text: value, at });
    } else if (char === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) failAt(at, 'the `quoted` name starting here is not closed with `');
      tokens.push({ kind: 'quoted', text: text.slice(i + 1, end), at });
      i = end + 1;
    } else if (/[0-9]/.test(char) || (char === '-' && /[0-9.]/.test(text[i + 1] ?? ''))) {
      const match = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(text.slice(i)) as RegExpExecArray;
      const value = Number(match[0]);
      if (!Number.isFinite(value)) failAt(at, `${match[0]} is not a finite number`);
      tokens.push({ kind: 'number', value, at });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_\-]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'word', text: match[0], at });
      i += match[0].length;
    } else {
      const symbol = ['!=', '<>', '<=', '>=', '=', '<', '>', '(', ')', ',', '.'].find((candidate) => text.startsWith(candidate, i));
      if (!symbol) failAt(at, `unexpected character "${char}"`);
      tokens.push({ kind: 'symbol', text: symbol === '<>' ? '!=' : symbol, at });
      i += symbol.length;
    }
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    const node = this.or();
    const rest = this.peek();
    if (rest.kind !== 'end') this.expected('"and", "or" or the end of the filter');
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    return this.tokens[this.index++];
  }

  private isKeyword(word: string, token = this.peek()): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  private isSymbol(symbol: string, token = this.peek()): boolean {
    return token.kind === 'symbol' && token.text === symbol;
  }

  private expected(what: string): never {
    const token = this.peek();
    const found = token.kind === 'end' ? 'the end of the filter' : `"${'text' in token ? token.text : token.value}"`;
    return failAt(token.at, `expected ${what}, found ${found}`);
  }

  private or(): FilterNode {
    const at = this.peek().at;
    const items = [this.and()];
    while (this.isKeyword('or')) {
      this.next();
      items.push(this.and());
    }
    return items.length === 1 ? items[0] : { type: 'or', items, at };
  }

  private and(): FilterNode {
    const at = this.peek().at;
    const items = [this.not()];
    while (this.isKeyword('and')) {
      this.next();
      items.push(this.not());
    }
    return items.length === 1 ? items[0] : { type: 'and', items, at };
  }

  private not(): FilterNode {
    const token = this.peek();
    if (++this.depth > MAX_NESTING) failAt(token.at, `nested more than ${MAX_NESTING} levels deep`);
    try {
      if (this.isKeyword('not')) {
        this.next();
        return { type: 'not', item: this.not(), at: token.at };
      }
      if (this.isSymbol('(')) {
        this.next();
        const inner = this.or();
        if (!this.isSymbol(')')) this.expected('")"');
        this.next();
        return inner;
      }
      return this.comparison();
    } finally {
      this.depth -= 1;
    }
  }

  orderTerm(): { field: FieldRef; descending: boolean } {
    const field = this.field();
    const descending = this.isKeyword('desc');
    if (descending || this.isKeyword('asc')) this.next();
    if (this.peek().kind !== 'end') this.expected('ASC, DESC or the end of the orderBy term');
    return { field, descending };
  }

  private field(): FieldRef {
    const first = this.peek();
    if (first.kind !== 'word' && first.kind !== 'quoted') this.expected('a field such as status, params.<key> or metrics.<key>');
    if (first.kind === 'word' && ['and', 'or', 'not'].includes(first.text.toLowerCase())) this.expected('a field');
    this.next();
    const path = [first.text];
    while (this.isSymbol('.')) {
      this.next();
      const part = this.peek();
      if (part.kind !== 'word' && part.kind !== 'quoted' && part.kind !== 'number') this.expected('a key after "."');
      this.next();
      path.push(part.kind === 'number' ? String(part.value) : part.text);
    }
    return { path, text: path.join('.'), at: first.at };
  }

  private value(): Value {
    const token = this.peek();
    if (token.kind === 'string') {
      this.next();
      return { kind: 'string', value: token.text, at: token.at };
    }
    if (token.kind === 'number') {
      this.next();
      return { kind: 'number', value: token.value, at: token.at };
    }
    return this.expected('a quoted string or a number');
  }

  private comparison(): Comparison {
    const field = this.field();
    const at = field.at;
    const token = this.peek();
    if (token.kind === 'symbol' && ['=', '!=', '<', '<=', '>', '>='].includes(token.text)) {
      this.next();
      return { type: 'compare', field, op: token.text as '=', value: this.value(), at };
    }
    if (this.isKeyword('is')) {
      this.next();
      const negated = this.isKeyword('not');
      if (negated) this.next();
      if (!this.isKeyword('null')) this.expected('"null"');
      this.next();
      return { type: 'null', field, negated, at };
    }
    const negated = this.isKeyword('not');
    if (negated) this.next();
    if (this.isKeyword('like') || this.isKeyword('ilike')) {
      const caseInsensitive = this.isKeyword('ilike');
      this.next();
      const pattern = this.value();
      if (pattern.kind !== 'string') failAt(pattern.at, 'LIKE takes a quoted pattern');
      return { type: 'like', field, negated, caseInsensitive, pattern, at };
    }
    if (this.isKeyword('in')) {
      this.next();
      if (!this.isSymbol('(')) this.expected('"(" after IN');
      this.next();
      const values = [this.value()];
      while (this.isSymbol(',')) {
        this.next();
        values.push(this.value());
      }
      if (!this.isSymbol(')')) this.expected('"," or ")"');
      this.next();
      return { type: 'in', field, negated, values, at };
    }
    return this.expected(negated ? 'LIKE, ILIKE or IN after NOT' : 'a comparison: =, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL or IS NOT NULL');
  }
}

/** Parses a filter string, or throws BAD_USER_INPUT naming the position and what was expected. */
export function parseFilter(text: string): FilterNode {
  if (text.length > MAX_FILTER_LENGTH) throw badInput(`filter must be at most ${MAX_FILTER_LENGTH} characters`);
  return new Parser(tokenize(text)).parse();
}

/** One ordering term, "metrics.val_auc DESC" or "startedAt": a field and a direction (ASC by default). */
export function parseOrderTerm(text: string): { field: FieldRef; descending: boolean } {
  if (text.length > 300) throw badInput('an orderBy term is at most 300 characters');
  return new Parser(tokenize(text)).orderTerm();
}
