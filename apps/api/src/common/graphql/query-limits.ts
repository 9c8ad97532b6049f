import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import {
  type ASTVisitor, type DocumentNode, type FieldNode, type FragmentDefinitionNode, GraphQLError, Kind, type SelectionSetNode, type ValidationContext, type ValueNode,
} from 'graphql';
import type { Context } from '../../context';
import { AppError, AppErrorCode } from '../errors/app-error';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  maxQueryBytes: number;
  /** Query cost one token (or signed-in user) may spend per minute. */
  costPerMinute: number;
  /** Time a GraphQL request may take before the client gets 503; PostgreSQL's statement_timeout stops the work. */
  requestTimeoutMs: number;
}

/** Arguments that size a list: the children of such a field cost once per item it may return. */
const LIST_SIZE_ARGUMENTS = ['first', 'limit'];
/** What a list argument given as a variable may be at most, the worst case a check must assume. */
const LIST_SIZE_WHEN_UNKNOWN = 100;

function refused(limit: string, value: number, max: number, advice: string): GraphQLError {
  return new GraphQLError(`Query ${limit} is ${value}, above the limit of ${max}: ${advice}`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, value, max } });
}

function listSize(field: FieldNode): number {
  const argument = field.arguments?.find((candidate) => LIST_SIZE_ARGUMENTS.includes(candidate.name.value));
  if (!argument) return 1;
  const value: ValueNode = argument.value;
  return value.kind === Kind.INT ? Math.max(1, Number(value.value)) : LIST_SIZE_WHEN_UNKNOWN;
}

interface Measure {
  depth: number;
  cost: number;
}

/** Depth and cost of a selection, following fragments; a fragment cycle is left to GraphQL's own rule. */
function measure(selectionSet: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): Measure {
  let depth = 0;
  let cost = 0;
  for (const selection of selectionSet?.selections ?? []) {
    let inner: Measure;
    if (selection.kind === Kind.FIELD) {
      const children = measure(selection.selectionSet, fragments, seen);
      inner = { depth: selection.selectionSet ? children.depth + 1 : 1, cost: 1 + listSize(selection) * children.cost };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = measure(selection.selectionSet, fragments, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || seen.has(name)) continue;
      inner = measure(fragment.selectionSet, fragments, new Set([...seen, name]));
    }
    depth = Math.max(depth, inner.depth);
    cost += inner.cost;
  }
  return { depth, cost };
}

/** Apollo Server reuses the parsed document of a query it has seen, so its cost is worked out once. */
const costByDocument = new WeakMap<DocumentNode, number>();

/** What a document costs by the rule of the cost limit: a field costs 1, a list's children once per item. */
export function documentCost(document: DocumentNode): number {
  let cost = costByDocument.get(document);
  if (cost === undefined) {
    const fragments = new Map(
      document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
    );
    cost = document.definitions.reduce((total, definition) => (definition.kind === Kind.OPERATION_DEFINITION ? total + measure(definition.selectionSet, fragments, new Set()).cost : total), 0);
    costByDocument.set(document, cost);
  }
  return cost;
}

/**
 * Validation rules that refuse a too deep, too wide or too costly document before any resolver
 * runs or any SQL is sent. A field costs 1; a list's children cost once per item its `first` or
 * `limit` allows.
 */
export function queryLimitRules(limits: QueryLimits): Array<(context: ValidationContext) => ASTVisitor> {
  return [
    (context) => ({
      Document(document) {
        const fragments = new Map(
          document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
        );
        let aliases = 0;
        let directives = 0;
        const count = (node: { alias?: unknown; directives?: readonly unknown[] }) => {
          if (node.alias) aliases += 1;
          directives += node.directives?.length ?? 0;
        };
        for (const definition of document.definitions) {
          if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
          const { depth, cost } = measure(definition.selectionSet, fragments, new Set());
          if (depth > limits.maxDepth) context.reportError(refused('depth', depth, limits.maxDepth, 'ask for less nesting'));
          if (cost > limits.maxCost) context.reportError(refused('cost', cost, limits.maxCost, 'ask for fewer items (first, limit) or fewer nested fields'));
        }
        // Every field and directive node of the document, operations and fragments alike.
        const visit = (node: unknown): void => {
          if (!node || typeof node !== 'object') return;
          const record = node as { kind?: string; alias?: unknown; directives?: readonly unknown[] };
          if (record.kind === Kind.FIELD || record.kind === Kind.FRAGMENT_SPREAD || record.kind === Kind.INLINE_FRAGMENT || record.kind === Kind.OPERATION_DEFINITION) count(record);
          for (const [key, value] of Object.entries(node)) {
            if (key === 'loc' || key === 'directives') continue;
            if (Array.isArray(value)) value.forEach(visit);
            else if (value && typeof value === 'object') visit(value);
          }
        };
        visit(document);
        if (aliases > limits.maxAliases) context.reportError(refused('aliases', aliases, limits.maxAliases, 'use fewer aliased fields'));
        if (directives > limits.maxDirectives) context.reportError(refused('directives', directives, limits.maxDirectives, 'use fewer directives'));
      },
    }),
  ];
}

/** Refuses a document longer than the limit before it is parsed. */
export function refuseLongQueries(maxQueryBytes: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const query = (req.body as { query?: unknown } | undefined)?.query;
    const bytes = typeof query === 'string' ? Buffer.byteLength(query) : 0;
    if (bytes <= maxQueryBytes) return next();
    res.status(413).json({ errors: [{ message: `Query size is ${bytes} bytes, above the limit of ${maxQueryBytes}: send a shorter document`, extensions: { code: 'BAD_USER_INPUT', limit: 'size', value: bytes, max: maxQueryBytes } }] });
  };
}

/**
 * Charges every operation's cost to its token (or signed-in user) in one-minute windows, per
 * process; over the budget the request is refused with RATE_LIMITED and the seconds to wait.
 */
export function costBudgetPlugin(costPerMinute: number): ApolloServerPlugin<Context> {
  const spent = new Map<string, { windowStart: number; cost: number }>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          const viewer = contextValue.viewer;
          if (!viewer) return;
          const key = viewer.token ? `token:${viewer.token.tokenId}` : `user:${viewer.id}`;
          const now = Date.now();
          const window = spent.get(key);
          const cost = documentCost(document);
          if (!window || now - window.windowStart >= 60_000) {
            if (spent.size > 100_000) spent.clear();
            spent.set(key, { windowStart: now, cost });
            return;
          }
          if (window.cost + cost > costPerMinute) {
            const retryAfterSeconds = Math.ceil((window.windowStart + 60_000 - now) / 1000);
            const message = `This token's query budget of ${costPerMinute} per minute is spent; wait ${retryAfterSeconds} seconds.`;
            throw new GraphQLError(message, {
              originalError: new AppError(AppErrorCode.RATE_LIMITED, message, { retryAfterSeconds }),
              extensions: { code: AppErrorCode.RATE_LIMITED, http: { status: 429 } },
            });
          }
          window.cost += cost;
        },
      };
    },
  };
}

/** Answers 503 when a GraphQL request runs past the time limit. */
export function requestTimeout(timeoutMs: number) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    res.setTimeout(timeoutMs, () => {
      if (!res.headersSent) {
        res.status(503).json({ errors: [{ message: `The request took longer than ${timeoutMs} ms and was stopped; ask for less, or retry`, extensions: { code: AppErrorCode.INTERNAL_SERVER_ERROR } }] });
      }
    });
    next();
  };
}
