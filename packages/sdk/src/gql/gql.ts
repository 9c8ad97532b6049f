/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation RecordCommit($input: RecordCommitInput!) {\n    recordCommit(input: $input) { id sha repository branch dirty }\n  }\n": typeof types.RecordCommitDocument,
    "\n  mutation RegisterDataVersion($input: RegisterDataVersionInput!) {\n    registerDataVersion(input: $input) {\n      id contentHash hashAlgorithm sizeBytes fileCount uri\n      dataset { name }\n      producedBy { id }\n    }\n  }\n": typeof types.RegisterDataVersionDocument,
    "\n  mutation StartRun($input: StartRunInput!) {\n    startRun(input: $input) { id name status }\n  }\n": typeof types.StartRunDocument,
    "\n  mutation LogMetrics($input: LogMetricsInput!) {\n    logMetrics(input: $input) { accepted }\n  }\n": typeof types.LogMetricsDocument,
    "\n  mutation FinishRun($input: FinishRunInput!) {\n    finishRun(input: $input) { id status endedAt }\n  }\n": typeof types.FinishRunDocument,
    "\n  mutation RegisterModelVersion($input: RegisterModelVersionInput!) {\n    registerModelVersion(input: $input) { id version stage artifactUri artifactDigest model { name } }\n  }\n": typeof types.RegisterModelVersionDocument,
    "\n  mutation RequestTransition($input: RequestTransitionInput!) {\n    requestTransition(input: $input) { id status fromStage toStage missing modelVersion { id version stage } }\n  }\n": typeof types.RequestTransitionDocument,
    "\n  query RunStatus($id: ID!) {\n    run(id: $id) { id name status project { key } outputs { id } artifacts { path uri digest kind } }\n  }\n": typeof types.RunStatusDocument,
    "\n  query ModelVersions($project: String!, $name: String!) {\n    registeredModel(project: $project, name: $name) {\n      id name\n      productionVersion { id version }\n      versions { id version stage artifactDigest }\n    }\n  }\n": typeof types.ModelVersionsDocument,
    "\n  query VersionAt($project: String!, $name: String!, $at: DateTime!, $stage: Stage, $alias: String) {\n    registeredModel(project: $project, name: $name) {\n      versionAt(at: $at, stage: $stage, alias: $alias) { id version }\n    }\n  }\n": typeof types.VersionAtDocument,
    "\n  query Provenance($modelVersionId: ID!) {\n    provenance(modelVersionId: $modelVersionId) {\n      complete\n      missing\n      entrypoint\n      environment\n      modelVersion { id version stage artifactUri artifactDigest model { name } sameArtifactAs { id version model { name } } }\n      sourceRun { id name status }\n      runs {\n        id name status entrypoint startedAt endedAt\n        experiment { name }\n        commit { id repository sha branch dirty }\n        params { key value }\n        metrics { key value step }\n        outputs { id }\n      }\n      inputs { role run { id } dataVersion { id contentHash hashAlgorithm uri dataset { name } producedBy { id } } }\n      dataVersions { id contentHash hashAlgorithm uri dataset { name } }\n      commits { id repository sha branch dirty }\n      baseModelVersions { id version model { name } }\n    }\n  }\n": typeof types.ProvenanceDocument,
    "\n  query FindNodes($project: String!, $text: String!, $first: Int) {\n    findNodes(project: $project, text: $text, first: $first) { id kind label }\n  }\n": typeof types.FindNodesDocument,
    "\n  query Impact($nodeId: ID!, $first: Int, $after: String) {\n    impact(nodeId: $nodeId, first: $first, after: $after) {\n      complete incompleteReason totalCount hiddenCount reachedNodes\n      countsByStage { stage count }\n      modelVersions { id version stage artifactDigest model { name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ImpactDocument,
    "\n  query ModelVersion($id: ID!) {\n    modelVersion(id: $id) { id version stage artifactDigest model { name } sameArtifactAs { id version model { name } } }\n  }\n": typeof types.ModelVersionDocument,
};
const documents: Documents = {
    "\n  mutation RecordCommit($input: RecordCommitInput!) {\n    recordCommit(input: $input) { id sha repository branch dirty }\n  }\n": types.RecordCommitDocument,
    "\n  mutation RegisterDataVersion($input: RegisterDataVersionInput!) {\n    registerDataVersion(input: $input) {\n      id contentHash hashAlgorithm sizeBytes fileCount uri\n      dataset { name }\n      producedBy { id }\n    }\n  }\n": types.RegisterDataVersionDocument,
    "\n  mutation StartRun($input: StartRunInput!) {\n    startRun(input: $input) { id name status }\n  }\n": types.StartRunDocument,
    "\n  mutation LogMetrics($input: LogMetricsInput!) {\n    logMetrics(input: $input) { accepted }\n  }\n": types.LogMetricsDocument,
    "\n  mutation FinishRun($input: FinishRunInput!) {\n    finishRun(input: $input) { id status endedAt }\n  }\n": types.FinishRunDocument,
    "\n  mutation RegisterModelVersion($input: RegisterModelVersionInput!) {\n    registerModelVersion(input: $input) { id version stage artifactUri artifactDigest model { name } }\n  }\n": types.RegisterModelVersionDocument,
    "\n  mutation RequestTransition($input: RequestTransitionInput!) {\n    requestTransition(input: $input) { id status fromStage toStage missing modelVersion { id version stage } }\n  }\n": types.RequestTransitionDocument,
    "\n  query RunStatus($id: ID!) {\n    run(id: $id) { id name status project { key } outputs { id } artifacts { path uri digest kind } }\n  }\n": types.RunStatusDocument,
    "\n  query ModelVersions($project: String!, $name: String!) {\n    registeredModel(project: $project, name: $name) {\n      id name\n      productionVersion { id version }\n      versions { id version stage artifactDigest }\n    }\n  }\n": types.ModelVersionsDocument,
    "\n  query VersionAt($project: String!, $name: String!, $at: DateTime!, $stage: Stage, $alias: String) {\n    registeredModel(project: $project, name: $name) {\n      versionAt(at: $at, stage: $stage, alias: $alias) { id version }\n    }\n  }\n": types.VersionAtDocument,
    "\n  query Provenance($modelVersionId: ID!) {\n    provenance(modelVersionId: $modelVersionId) {\n      complete\n      missing\n      entrypoint\n      environment\n      modelVersion { id version stage artifactUri artifactDigest model { name } sameArtifactAs { id version model { name } } }\n      sourceRun { id name status }\n      runs {\n        id name status entrypoint startedAt endedAt\n        experiment { name }\n        commit { id repository sha branch dirty }\n        params { key value }\n        metrics { key value step }\n        outputs { id }\n      }\n      inputs { role run { id } dataVersion { id contentHash hashAlgorithm uri dataset { name } producedBy { id } } }\n      dataVersions { id contentHash hashAlgorithm uri dataset { name } }\n      commits { id repository sha branch dirty }\n      baseModelVersions { id version model { name } }\n    }\n  }\n": types.ProvenanceDocument,
    "\n  query FindNodes($project: String!, $text: String!, $first: Int) {\n    findNodes(project: $project, text: $text, first: $first) { id kind label }\n  }\n": types.FindNodesDocument,
    "\n  query Impact($nodeId: ID!, $first: Int, $after: String) {\n    impact(nodeId: $nodeId, first: $first, after: $after) {\n      complete incompleteReason totalCount hiddenCount reachedNodes\n      countsByStage { stage count }\n      modelVersions { id version stage artifactDigest model { name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ImpactDocument,
    "\n  query ModelVersion($id: ID!) {\n    modelVersion(id: $id) { id version stage artifactDigest model { name } sameArtifactAs { id version model { name } } }\n  }\n": types.ModelVersionDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordCommit($input: RecordCommitInput!) {\n    recordCommit(input: $input) { id sha repository branch dirty }\n  }\n"): typeof import('./graphql').RecordCommitDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterDataVersion($input: RegisterDataVersionInput!) {\n    registerDataVersion(input: $input) {\n      id contentHash hashAlgorithm sizeBytes fileCount uri\n      dataset { name }\n      producedBy { id }\n    }\n  }\n"): typeof import('./graphql').RegisterDataVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartRun($input: StartRunInput!) {\n    startRun(input: $input) { id name status }\n  }\n"): typeof import('./graphql').StartRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogMetrics($input: LogMetricsInput!) {\n    logMetrics(input: $input) { accepted }\n  }\n"): typeof import('./graphql').LogMetricsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FinishRun($input: FinishRunInput!) {\n    finishRun(input: $input) { id status endedAt }\n  }\n"): typeof import('./graphql').FinishRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterModelVersion($input: RegisterModelVersionInput!) {\n    registerModelVersion(input: $input) { id version stage artifactUri artifactDigest model { name } }\n  }\n"): typeof import('./graphql').RegisterModelVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestTransition($input: RequestTransitionInput!) {\n    requestTransition(input: $input) { id status fromStage toStage missing modelVersion { id version stage } }\n  }\n"): typeof import('./graphql').RequestTransitionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunStatus($id: ID!) {\n    run(id: $id) { id name status project { key } outputs { id } artifacts { path uri digest kind } }\n  }\n"): typeof import('./graphql').RunStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelVersions($project: String!, $name: String!) {\n    registeredModel(project: $project, name: $name) {\n      id name\n      productionVersion { id version }\n      versions { id version stage artifactDigest }\n    }\n  }\n"): typeof import('./graphql').ModelVersionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VersionAt($project: String!, $name: String!, $at: DateTime!, $stage: Stage, $alias: String) {\n    registeredModel(project: $project, name: $name) {\n      versionAt(at: $at, stage: $stage, alias: $alias) { id version }\n    }\n  }\n"): typeof import('./graphql').VersionAtDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Provenance($modelVersionId: ID!) {\n    provenance(modelVersionId: $modelVersionId) {\n      complete\n      missing\n      entrypoint\n      environment\n      modelVersion { id version stage artifactUri artifactDigest model { name } sameArtifactAs { id version model { name } } }\n      sourceRun { id name status }\n      runs {\n        id name status entrypoint startedAt endedAt\n        experiment { name }\n        commit { id repository sha branch dirty }\n        params { key value }\n        metrics { key value step }\n        outputs { id }\n      }\n      inputs { role run { id } dataVersion { id contentHash hashAlgorithm uri dataset { name } producedBy { id } } }\n      dataVersions { id contentHash hashAlgorithm uri dataset { name } }\n      commits { id repository sha branch dirty }\n      baseModelVersions { id version model { name } }\n    }\n  }\n"): typeof import('./graphql').ProvenanceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FindNodes($project: String!, $text: String!, $first: Int) {\n    findNodes(project: $project, text: $text, first: $first) { id kind label }\n  }\n"): typeof import('./graphql').FindNodesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Impact($nodeId: ID!, $first: Int, $after: String) {\n    impact(nodeId: $nodeId, first: $first, after: $after) {\n      complete incompleteReason totalCount hiddenCount reachedNodes\n      countsByStage { stage count }\n      modelVersions { id version stage artifactDigest model { name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').ImpactDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelVersion($id: ID!) {\n    modelVersion(id: $id) { id version stage artifactDigest model { name } sameArtifactAs { id version model { name } } }\n  }\n"): typeof import('./graphql').ModelVersionDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
