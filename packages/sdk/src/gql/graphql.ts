/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** A file the run produced. */
export type ArtifactInput = {
  /** sha256:<64 hex> of the bytes. */
  digest?: string | null | undefined;
  /** MODEL, CHECKPOINT, PLOT, LOG or OTHER (default); the lowercase names of earlier clients are accepted too. */
  kind?: string | null | undefined;
  /** Media type, e.g. "image/png". */
  mediaType?: string | null | undefined;
  /** Path relative to the run's artifact root, e.g. "model/model.pkl": normalised, without "..", backslashes or control characters, at most 1,024 characters. */
  path: string;
  /** Size in bytes. */
  sizeBytes?: number | null | undefined;
  /** Where the file is stored. */
  uri: string;
};

/** What an artifact file is: MODEL weights, a training CHECKPOINT, a PLOT, a LOG, or OTHER. */
export type ArtifactKind =
  | 'CHECKPOINT'
  | 'LOG'
  | 'MODEL'
  | 'OTHER'
  | 'PLOT';

/** How a run used a data version. */
export type DataRole =
  | 'OTHER'
  | 'TEST'
  | 'TRAIN'
  | 'VALIDATION';

/** Ends a RUNNING run; after this nothing about it changes. */
export type FinishRunInput = {
  /** Files the run produced, at most 1000. */
  artifacts?: Array<ArtifactInput> | null | undefined;
  /** Why the run failed. */
  errorMessage?: string | null | undefined;
  /** Data versions the run produced. */
  outputs?: Array<string | number> | null | undefined;
  /** The run. */
  runId: string | number;
  /** FINISHED, FAILED or KILLED. */
  status: RunStatus;
};

/** A batch of metric points for a RUNNING run, at most 1000. */
export type LogMetricsInput = {
  /** At most 1000 points. */
  metrics: Array<MetricInput>;
  /** The run. */
  runId: string | number;
};

/** One metric point. */
export type MetricInput = {
  /** Name, at most 250 characters. */
  key: string;
  /** Step or epoch; default 0. */
  step?: number | null | undefined;
  /** When it was measured; default now. */
  timestamp?: string | null | undefined;
  /** A finite number. */
  value: number;
};

/** The kinds of lineage node. */
export type NodeKind =
  | 'CodeCommit'
  | 'DataVersion'
  | 'ModelVersion'
  | 'Run';

/** A run parameter. */
export type ParamInput = {
  /** Name, at most 250 characters. */
  key: string;
  /** Value as text, at most 6000 characters. */
  value: string;
};

/** A code commit a run executed. */
export type RecordCommitInput = {
  /** Commit author. */
  author?: string | null | undefined;
  /** Branch name. */
  branch?: string | null | undefined;
  /** Commit time. */
  committedAt?: string | null | undefined;
  /** True when the working tree had uncommitted changes. */
  dirty?: boolean | null | undefined;
  /** Commit message. */
  message?: string | null | undefined;
  /** Project key. */
  project: string;
  /** Repository URL or name, e.g. "github.com/acme/fraud". */
  repository: string;
  /** Commit hash: 40 hex characters (SHA-1) or 64 (SHA-256). */
  sha: string;
};

/** One exact content of a dataset. */
export type RegisterDataVersionInput = {
  /** Lowercase hex digest of the content; DVC directory hashes keep their ".dir" suffix. */
  contentHash: string;
  /** Dataset name, e.g. "data/prepared"; created on first use. */
  dataset: string;
  /** Data versions this one was derived from. */
  derivedFrom?: Array<string | number> | null | undefined;
  /** Number of files, for a directory. */
  fileCount?: number | null | undefined;
  /** Storage format, e.g. "parquet". */
  format?: string | null | undefined;
  /** Algorithm of contentHash: "md5" (default), "md5-dos2unix" (DVC 2.x) or "sha256". */
  hashAlgorithm?: string | null | undefined;
  /** The run that produced this version. */
  producedByRunId?: string | number | null | undefined;
  /** Project key. */
  project: string;
  /** Total size in bytes. */
  sizeBytes?: number | null | undefined;
  /** Where the content is stored. */
  uri?: string | null | undefined;
};

/** A new version of a registered model, from a FINISHED run's artifact: one uploaded to the run (artifactPath, or artifactDigest), or one stored elsewhere (artifactUri with artifactDigest). */
export type RegisterModelVersionInput = {
  /** sha256:<64 lowercase hex> of the artifact bytes. Without an external artifactUri it must be the digest of an artifact uploaded to the run. */
  artifactDigest?: string | null | undefined;
  /** The path of an artifact uploaded to the run (PUT /api/v1/runs/:runId/artifacts/*path): its digest and URI become the version's. */
  artifactPath?: string | null | undefined;
  /** Where the model is stored when not uploaded to Pedigree (s3://, gs://, https://…); then artifactDigest is recorded as given. Leave it out for an uploaded artifact. */
  artifactUri?: string | null | undefined;
  /** Notes on this version. */
  description?: string | null | undefined;
  /** Client-chosen key: a retry with the same key returns the first version instead of registering another. */
  idempotencyKey?: string | null | undefined;
  /** Model name; created with the first version. Letters, digits, '.', '_' and '-', up to 128. */
  model: string;
  /** Project key. */
  project: string;
  /** The FINISHED run that trained the model, in the same project. */
  runId: string | number;
};

/** A request to move a model version to another stage. */
export type RequestTransitionInput = {
  /** Why the move is wanted. */
  comment?: string | null | undefined;
  /** Client-chosen key: a replay with the same key returns the first result and changes nothing; the same key with other inputs is refused. */
  idempotencyKey?: string | null | undefined;
  /** The model version. */
  modelVersionId: string | number;
  /** The stage to move to: NONE->STAGING, STAGING->PRODUCTION, PRODUCTION->ARCHIVED, ARCHIVED->STAGING. */
  toStage: Stage;
};

/** A data version a run reads, and how it uses it. */
export type RunDataInput = {
  /** The data version id. */
  dataVersionId: string | number;
  /** TRAIN (default), VALIDATION, TEST or OTHER. */
  role?: DataRole;
};

/** A run is RUNNING until finishRun fixes it as FINISHED, FAILED or KILLED. */
export type RunStatus =
  | 'FAILED'
  | 'FINISHED'
  | 'KILLED'
  | 'RUNNING';

/** Where a model version is in its lifecycle. At most one version of a model is in PRODUCTION. */
export type Stage =
  | 'ARCHIVED'
  | 'NONE'
  | 'PRODUCTION'
  | 'STAGING';

/** A run that starts now: its code, inputs and settings, fixed from here on. */
export type StartRunInput = {
  /** Registered model versions the run fine-tunes or distils from. */
  baseModelVersionIds?: Array<string | number> | null | undefined;
  /** The CodeCommit the run executes. */
  commitId?: string | number | null | undefined;
  /** The command or script, e.g. "python train.py". */
  entrypoint?: string | null | undefined;
  /** The environment as a JSON object, at most 64 KiB. */
  environment?: unknown;
  /** Experiment name; created on first use. Default "Default". */
  experiment?: string | null | undefined;
  /** Client-chosen key: a retry with the same key returns the first run instead of starting another. */
  idempotencyKey?: string | null | undefined;
  /** Data versions the run reads, at most 1000. */
  inputs?: Array<RunDataInput> | null | undefined;
  /** Run name; defaults to one made from the start time. */
  name?: string | null | undefined;
  /** Parameters, at most 1000; keys unique. */
  params?: Array<ParamInput> | null | undefined;
  /** The parent run, for nested runs such as a sweep. */
  parentRunId?: string | number | null | undefined;
  /** Project key. */
  project: string;
  /** Tags, at most 200; keys unique. */
  tags?: Array<TagInput> | null | undefined;
};

/** A run tag. */
export type TagInput = {
  /** Name, at most 250 characters. */
  key: string;
  /** Value, at most 5000 characters. */
  value: string;
};

/** PENDING until approvals and gates are met (then APPLIED at once), or REJECTED by a reviewer, or CANCELLED. */
export type TransitionStatus =
  | 'APPLIED'
  | 'CANCELLED'
  | 'PENDING'
  | 'REJECTED';

export type RecordCommitMutationVariables = Exact<{
  input: RecordCommitInput;
}>;


export type RecordCommitMutation = { recordCommit: { id: string, sha: string, repository: string, branch: string | null, dirty: boolean } };

export type RegisterDataVersionMutationVariables = Exact<{
  input: RegisterDataVersionInput;
}>;


export type RegisterDataVersionMutation = { registerDataVersion: { id: string, contentHash: string, hashAlgorithm: string, sizeBytes: number | null, fileCount: number | null, uri: string | null, dataset: { name: string }, producedBy: { id: string } | null } };

export type StartRunMutationVariables = Exact<{
  input: StartRunInput;
}>;


export type StartRunMutation = { startRun: { id: string, name: string, status: RunStatus } };

export type LogMetricsMutationVariables = Exact<{
  input: LogMetricsInput;
}>;


export type LogMetricsMutation = { logMetrics: { accepted: number } };

export type FinishRunMutationVariables = Exact<{
  input: FinishRunInput;
}>;


export type FinishRunMutation = { finishRun: { id: string, status: RunStatus, endedAt: string | null } };

export type RegisterModelVersionMutationVariables = Exact<{
  input: RegisterModelVersionInput;
}>;


export type RegisterModelVersionMutation = { registerModelVersion: { id: string, version: number, stage: Stage, artifactUri: string, artifactDigest: string, model: { name: string } } };

export type RequestTransitionMutationVariables = Exact<{
  input: RequestTransitionInput;
}>;


export type RequestTransitionMutation = { requestTransition: { id: string, status: TransitionStatus, fromStage: Stage, toStage: Stage, missing: Array<string>, modelVersion: { id: string, version: number, stage: Stage } } };

export type RunStatusQueryVariables = Exact<{
  id: string | number;
}>;


export type RunStatusQuery = { run: { id: string, name: string, status: RunStatus, project: { key: string }, outputs: Array<{ id: string }>, artifacts: Array<{ path: string, uri: string, digest: string | null, kind: ArtifactKind }> } | null };

export type ModelVersionsQueryVariables = Exact<{
  project: string;
  name: string;
}>;


export type ModelVersionsQuery = { registeredModel: { id: string, name: string, productionVersion: { id: string, version: number } | null, versions: Array<{ id: string, version: number, stage: Stage, artifactDigest: string }> } | null };

export type VersionAtQueryVariables = Exact<{
  project: string;
  name: string;
  at: string;
  stage?: Stage | null | undefined;
  alias?: string | null | undefined;
}>;


export type VersionAtQuery = { registeredModel: { versionAt: { id: string, version: number } | null } | null };

export type ProvenanceQueryVariables = Exact<{
  modelVersionId: string | number;
}>;


export type ProvenanceQuery = { provenance: { complete: boolean, missing: Array<string>, entrypoint: string | null, environment: unknown, modelVersion: { id: string, version: number, stage: Stage, artifactUri: string, artifactDigest: string, model: { name: string }, sameArtifactAs: Array<{ id: string, version: number, model: { name: string } }> }, sourceRun: { id: string, name: string, status: RunStatus }, runs: Array<{ id: string, name: string, status: RunStatus, entrypoint: string | null, startedAt: string, endedAt: string | null, experiment: { name: string }, commit: { id: string, repository: string, sha: string, branch: string | null, dirty: boolean } | null, params: Array<{ key: string, value: string }>, metrics: Array<{ key: string, value: number, step: number }>, outputs: Array<{ id: string }> }>, inputs: Array<{ role: DataRole, run: { id: string }, dataVersion: { id: string, contentHash: string, hashAlgorithm: string, uri: string | null, dataset: { name: string }, producedBy: { id: string } | null } }>, dataVersions: Array<{ id: string, contentHash: string, hashAlgorithm: string, uri: string | null, dataset: { name: string } }>, commits: Array<{ id: string, repository: string, sha: string, branch: string | null, dirty: boolean }>, baseModelVersions: Array<{ id: string, version: number, model: { name: string } }> } };

export type FindNodesQueryVariables = Exact<{
  project: string;
  text: string;
  first?: number | null | undefined;
}>;


export type FindNodesQuery = { findNodes: Array<{ id: string, kind: NodeKind, label: string }> };

export type ImpactQueryVariables = Exact<{
  nodeId: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ImpactQuery = { impact: { complete: boolean, incompleteReason: string | null, totalCount: number, hiddenCount: number, reachedNodes: number, countsByStage: Array<{ stage: Stage, count: number }>, modelVersions: Array<{ id: string, version: number, stage: Stage, artifactDigest: string, model: { name: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ModelVersionQueryVariables = Exact<{
  id: string | number;
}>;


export type ModelVersionQuery = { modelVersion: { id: string, version: number, stage: Stage, artifactDigest: string, model: { name: string }, sameArtifactAs: Array<{ id: string, version: number, model: { name: string } }> } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const RecordCommitDocument = new TypedDocumentString(`
    mutation RecordCommit($input: RecordCommitInput!) {
  recordCommit(input: $input) {
    id
    sha
    repository
    branch
    dirty
  }
}
    `) as unknown as TypedDocumentString<RecordCommitMutation, RecordCommitMutationVariables>;
export const RegisterDataVersionDocument = new TypedDocumentString(`
    mutation RegisterDataVersion($input: RegisterDataVersionInput!) {
  registerDataVersion(input: $input) {
    id
    contentHash
    hashAlgorithm
    sizeBytes
    fileCount
    uri
    dataset {
      name
    }
    producedBy {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<RegisterDataVersionMutation, RegisterDataVersionMutationVariables>;
export const StartRunDocument = new TypedDocumentString(`
    mutation StartRun($input: StartRunInput!) {
  startRun(input: $input) {
    id
    name
    status
  }
}
    `) as unknown as TypedDocumentString<StartRunMutation, StartRunMutationVariables>;
export const LogMetricsDocument = new TypedDocumentString(`
    mutation LogMetrics($input: LogMetricsInput!) {
  logMetrics(input: $input) {
    accepted
  }
}
    `) as unknown as TypedDocumentString<LogMetricsMutation, LogMetricsMutationVariables>;
export const FinishRunDocument = new TypedDocumentString(`
    mutation FinishRun($input: FinishRunInput!) {
  finishRun(input: $input) {
    id
    status
    endedAt
  }
}
    `) as unknown as TypedDocumentString<FinishRunMutation, FinishRunMutationVariables>;
export const RegisterModelVersionDocument = new TypedDocumentString(`
    mutation RegisterModelVersion($input: RegisterModelVersionInput!) {
  registerModelVersion(input: $input) {
    id
    version
    stage
    artifactUri
    artifactDigest
    model {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<RegisterModelVersionMutation, RegisterModelVersionMutationVariables>;
export const RequestTransitionDocument = new TypedDocumentString(`
    mutation RequestTransition($input: RequestTransitionInput!) {
  requestTransition(input: $input) {
    id
    status
    fromStage
    toStage
    missing
    modelVersion {
      id
      version
      stage
    }
  }
}
    `) as unknown as TypedDocumentString<RequestTransitionMutation, RequestTransitionMutationVariables>;
export const RunStatusDocument = new TypedDocumentString(`
    query RunStatus($id: ID!) {
  run(id: $id) {
    id
    name
    status
    project {
      key
    }
    outputs {
      id
    }
    artifacts {
      path
      uri
      digest
      kind
    }
  }
}
    `) as unknown as TypedDocumentString<RunStatusQuery, RunStatusQueryVariables>;
export const ModelVersionsDocument = new TypedDocumentString(`
    query ModelVersions($project: String!, $name: String!) {
  registeredModel(project: $project, name: $name) {
    id
    name
    productionVersion {
      id
      version
    }
    versions {
      id
      version
      stage
      artifactDigest
    }
  }
}
    `) as unknown as TypedDocumentString<ModelVersionsQuery, ModelVersionsQueryVariables>;
export const VersionAtDocument = new TypedDocumentString(`
    query VersionAt($project: String!, $name: String!, $at: DateTime!, $stage: Stage, $alias: String) {
  registeredModel(project: $project, name: $name) {
    versionAt(at: $at, stage: $stage, alias: $alias) {
      id
      version
    }
  }
}
    `) as unknown as TypedDocumentString<VersionAtQuery, VersionAtQueryVariables>;
export const ProvenanceDocument = new TypedDocumentString(`
    query Provenance($modelVersionId: ID!) {
  provenance(modelVersionId: $modelVersionId) {
    complete
    missing
    entrypoint
    environment
    modelVersion {
      id
      version
      stage
      artifactUri
      artifactDigest
      model {
        name
      }
      sameArtifactAs {
        id
        version
        model {
          name
        }
      }
    }
    sourceRun {
      id
      name
      status
    }
    runs {
      id
      name
      status
      entrypoint
      startedAt
      endedAt
      experiment {
        name
      }
      commit {
        id
        repository
        sha
        branch
        dirty
      }
      params {
        key
        value
      }
      metrics {
        key
        value
        step
      }
      outputs {
        id
      }
    }
    inputs {
      role
      run {
        id
      }
      dataVersion {
        id
        contentHash
        hashAlgorithm
        uri
        dataset {
          name
        }
        producedBy {
          id
        }
      }
    }
    dataVersions {
      id
      contentHash
      hashAlgorithm
      uri
      dataset {
        name
      }
    }
    commits {
      id
      repository
      sha
      branch
      dirty
    }
    baseModelVersions {
      id
      version
      model {
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ProvenanceQuery, ProvenanceQueryVariables>;
export const FindNodesDocument = new TypedDocumentString(`
    query FindNodes($project: String!, $text: String!, $first: Int) {
  findNodes(project: $project, text: $text, first: $first) {
    id
    kind
    label
  }
}
    `) as unknown as TypedDocumentString<FindNodesQuery, FindNodesQueryVariables>;
export const ImpactDocument = new TypedDocumentString(`
    query Impact($nodeId: ID!, $first: Int, $after: String) {
  impact(nodeId: $nodeId, first: $first, after: $after) {
    complete
    incompleteReason
    totalCount
    hiddenCount
    reachedNodes
    countsByStage {
      stage
      count
    }
    modelVersions {
      id
      version
      stage
      artifactDigest
      model {
        name
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<ImpactQuery, ImpactQueryVariables>;
export const ModelVersionDocument = new TypedDocumentString(`
    query ModelVersion($id: ID!) {
  modelVersion(id: $id) {
    id
    version
    stage
    artifactDigest
    model {
      name
    }
    sameArtifactAs {
      id
      version
      model {
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ModelVersionQuery, ModelVersionQueryVariables>;