import { randomUUID } from 'node:crypto';
import type {
  FinishRunInput, LogMetricsInput, MetricInput, RecordCommitInput, RegisterDataVersionInput, RegisterModelVersionInput, RequestTransitionInput, StartRunInput,
  TypedDocumentString,
} from './gql/graphql';
import * as operations from './operations';

/** What the API said went wrong (`extensions.code`), or NETWORK_ERROR when it could not be reached. */
export class PedigreeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'PedigreeError';
  }
}

export interface PedigreeClientOptions {
  /** The API base, e.g. http://localhost:4000 (a URL ending in /graphql is accepted too). */
  url: string;
  /** An API token (`pdg_…`) or a session token. */
  token?: string;
  /** Further attempts after a network error; default 4. */
  retries?: number;
  /** The first retry waits about this long, each further one twice as long; default 250 ms. */
  retryDelayMs?: number;
  fetch?: typeof fetch;
}

/**
 * How far a request may be repeated after a network error. `always`: the server makes a repeat
 * harmless (reads; writes that are idempotent by content or idempotency key). `unsent`: only when
 * the connection failed before the request left, as a repeat could be applied twice.
 */
type RetryPolicy = 'always' | 'unsent';

/** Errors of a connection that never carried the request, so nothing reached the server. */
const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function networkErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string; errors?: Array<{ code?: string }> } })?.cause;
  return cause?.code ?? cause?.errors?.[0]?.code;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Points per logMetrics call, the API's limit. */
export const METRICS_PER_CALL = 1000;

/**
 * A typed client of the Pedigree GraphQL API. Network errors are retried with exponential backoff;
 * GraphQL and HTTP errors never are, they are answers. startRun, registerModelVersion and
 * requestTransition get an idempotency key when the caller gives none, kept across the retries of
 * one call, so a retry after a lost answer returns the first result instead of a duplicate.
 */
export class PedigreeClient {
  readonly baseUrl: string;
  private readonly token?: string;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: PedigreeClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '').replace(/\/graphql$/, '');
    this.token = options.token;
    this.retries = options.retries ?? 4;
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** A client configured by PEDIGREE_URL (default http://localhost:4000) and PEDIGREE_TOKEN. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, options: Partial<PedigreeClientOptions> = {}): PedigreeClient {
    return new PedigreeClient({ url: env.PEDIGREE_URL || 'http://localhost:4000', token: env.PEDIGREE_TOKEN || undefined, ...options });
  }

  /** One HTTP request to the API, retried on network errors as `policy` allows. */
  async http(path: string, init: RequestInit, policy: RetryPolicy = 'always', timeoutMs?: number): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set('authorization', `Bearer ${this.token}`);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.fetchImpl(`${this.baseUrl}${path}`, { ...init, headers, ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}) });
      } catch (error) {
        // A request that outlived its time limit may still be running on the server: not repeated.
        if ((error as Error).name === 'TimeoutError') throw new PedigreeError('TIMEOUT', `The API at ${this.baseUrl} did not answer ${path} within ${timeoutMs} ms.`);
        const code = networkErrorCode(error);
        const retryable = policy === 'always' || (code !== undefined && UNSENT_CODES.has(code));
        if (!retryable || attempt >= this.retries) {
          throw new PedigreeError('NETWORK_ERROR', `Cannot reach the Pedigree API at ${this.baseUrl} (${code ?? (error as Error).message}). Check PEDIGREE_URL and that the API is running.`, { cause: code });
        }
        // Full jitter: many clients retrying after one outage do not come back in step.
        await sleep(Math.random() * this.retryDelayMs * 2 ** attempt);
      }
    }
  }

  /** Sends a generated operation; resolves with its data or rejects with the first GraphQL error. */
  async request<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables, policy: RetryPolicy = 'always'): Promise<TResult> {
    const response = await this.http('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document.toString(), variables }) }, policy);
    let body: { data?: TResult | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new PedigreeError('BAD_RESPONSE', `The API at ${this.baseUrl} answered HTTP ${response.status} without a GraphQL body. Is PEDIGREE_URL the API's base URL?`);
    }
    const [error] = body.errors ?? [];
    if (error) {
      const { code, ...details } = error.extensions ?? {};
      throw new PedigreeError(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR', error.message, details);
    }
    if (!body.data) throw new PedigreeError('BAD_RESPONSE', `The API answered HTTP ${response.status} with no data.`);
    return body.data;
  }

  async recordCommit(input: RecordCommitInput) {
    return (await this.request(operations.recordCommitMutation, { input })).recordCommit;
  }

  async registerDataVersion(input: RegisterDataVersionInput) {
    return (await this.request(operations.registerDataVersionMutation, { input })).registerDataVersion;
  }

  async startRun(input: StartRunInput) {
    const keyed = { ...input, idempotencyKey: input.idempotencyKey ?? randomUUID() };
    return (await this.request(operations.startRunMutation, { input: keyed })).startRun;
  }

  /** Sends the points in batches of the API's limit; returns how many it stored. */
  async logMetrics(runId: string, metrics: MetricInput[]): Promise<number> {
    let accepted = 0;
    for (let start = 0; start < metrics.length; start += METRICS_PER_CALL) {
      const input: LogMetricsInput = { runId, metrics: metrics.slice(start, start + METRICS_PER_CALL) };
      // A batch carries no idempotency key, so it is repeated only when it surely never arrived.
      accepted += (await this.request(operations.logMetricsMutation, { input }, 'unsent')).logMetrics.accepted;
    }
    return accepted;
  }

  /**
   * Finishing twice is refused by the API, so after a lost answer the retry may meet the run already
   * finished by the first attempt: that is success when the status is the one asked for.
   */
  async finishRun(input: FinishRunInput) {
    try {
      return (await this.request(operations.finishRunMutation, { input })).finishRun;
    } catch (error) {
      if (!(error instanceof PedigreeError) || error.code !== 'CONFLICT' || error.details.status !== input.status) throw error;
      const run = (await this.request(operations.runStatusQuery, { id: input.runId })).run;
      if (!run) throw error;
      return { id: run.id, status: run.status, endedAt: null };
    }
  }

  async registerModelVersion(input: RegisterModelVersionInput) {
    const keyed = { ...input, idempotencyKey: input.idempotencyKey ?? randomUUID() };
    return (await this.request(operations.registerModelVersionMutation, { input: keyed })).registerModelVersion;
  }

  async requestTransition(input: RequestTransitionInput) {
    const keyed = { ...input, idempotencyKey: input.idempotencyKey ?? randomUUID() };
    return (await this.request(operations.requestTransitionMutation, { input: keyed })).requestTransition;
  }

  async run(id: string) {
    return (await this.request(operations.runStatusQuery, { id })).run;
  }

  async registeredModel(project: string, name: string) {
    return (await this.request(operations.modelVersionsQuery, { project, name })).registeredModel;
  }

  async versionAt(project: string, name: string, at: Date, selector: { stage?: 'NONE' | 'STAGING' | 'PRODUCTION' | 'ARCHIVED'; alias?: string }) {
    const model = (await this.request(operations.versionAtQuery, { project, name, at: at.toISOString(), stage: selector.stage ?? null, alias: selector.alias ?? null })).registeredModel;
    return model?.versionAt ?? null;
  }

  async modelVersion(id: string) {
    return (await this.request(operations.modelVersionQuery, { id })).modelVersion;
  }

  async provenance(modelVersionId: string) {
    return (await this.request(operations.provenanceQuery, { modelVersionId })).provenance;
  }

  async findNodes(project: string, text: string, first = 20) {
    return (await this.request(operations.findNodesQuery, { project, text, first })).findNodes;
  }

  /** Every affected model version, all pages. */
  async impact(nodeId: string) {
    let after: string | null = null;
    const first = await this.request(operations.impactQuery, { nodeId, first: 100, after });
    const report = first.impact;
    const modelVersions = [...report.modelVersions];
    let pageInfo = report.pageInfo;
    while (pageInfo.hasNextPage && pageInfo.endCursor) {
      after = pageInfo.endCursor;
      const page = (await this.request(operations.impactQuery, { nodeId, first: 100, after })).impact;
      modelVersions.push(...page.modelVersions);
      pageInfo = page.pageInfo;
    }
    return { ...report, modelVersions };
  }

  /** Posts OpenLineage RunEvents to `POST /api/v1/lineage`. */
  async postOpenLineage(events: unknown, options: { project?: string; lenient?: boolean } = {}): Promise<unknown> {
    const query = new URLSearchParams();
    if (options.project) query.set('project', options.project);
    if (options.lenient) query.set('lenient', 'true');
    const response = await this.http(`/api/v1/lineage${query.size ? `?${query}` : ''}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
    return this.restAnswer(response);
  }

  /**
   * Uploads a file to a RUNNING run's artifact store (`PUT /api/v1/runs/:runId/artifacts/*path`).
   * Resolves to null when this API has no artifact store, so callers can record a reference instead.
   */
  async uploadArtifact(
    runId: string,
    path: string,
    bytes: Buffer,
    options: { kind?: string; digest?: string; mediaType?: string; timeoutMs?: number } = {},
  ): Promise<{ path: string; digest: string; sizeBytes: number; downloadUrl?: string } | null> {
    const query = options.kind ? `?kind=${encodeURIComponent(options.kind)}` : '';
    const encodedPath = path.split('/').map(encodeURIComponent).join('/');
    const headers: Record<string, string> = { 'content-type': options.mediaType ?? 'application/octet-stream' };
    if (options.digest) headers['x-pedigree-digest'] = options.digest;
    // The same bytes at the same path are answered with the first record, so a repeat is harmless.
    const response = await this.http(`/api/v1/runs/${encodeURIComponent(runId)}/artifacts/${encodedPath}${query}`, { method: 'PUT', headers, body: new Blob([new Uint8Array(bytes)]) }, 'always', options.timeoutMs ?? 60_000 + bytes.length / 1000);
    if (response.status === 404 && !(response.headers.get('content-type') ?? '').includes('json')) return null;
    const body = (await this.restAnswer(response)) as { artifact: { path: string; digest: string; sizeBytes: number; downloadUrl?: string } };
    return body.artifact;
  }

  private async restAnswer(response: Response): Promise<unknown> {
    const body = (await response.json().catch(() => null)) as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } | null;
    const error = body?.errors?.[0];
    if (!response.ok || error) {
      const { code, ...details } = error?.extensions ?? {};
      throw new PedigreeError(typeof code === 'string' ? code : `HTTP_${response.status}`, error?.message ?? `The API answered HTTP ${response.status}.`, details);
    }
    return body;
  }
}
