import { graphql } from './gql';

// Every operation the SDK and the CLI send. Codegen reads this file and types each one in src/gql.

export const recordCommitMutation = graphql(`
  mutation RecordCommit($input: RecordCommitInput!) {
    recordCommit(input: $input) { id sha repository branch dirty }
  }
`);

export const registerDataVersionMutation = graphql(`
  mutation RegisterDataVersion($input: RegisterDataVersionInput!) {
    registerDataVersion(input: $input) {
      id contentHash hashAlgorithm sizeBytes fileCount uri
      dataset { name }
      producedBy { id }
    }
  }
`);

export const startRunMutation = graphql(`
  mutation StartRun($input: StartRunInput!) {
    startRun(input: $input) { id name status }
  }
`);

export const logMetricsMutation = graphql(`
  mutation LogMetrics($input: LogMetricsInput!) {
    logMetrics(input: $input) { accepted }
  }
`);

export const finishRunMutation = graphql(`
  mutation FinishRun($input: FinishRunInput!) {
    finishRun(input: $input) { id status endedAt }
  }
`);

export const registerModelVersionMutation = graphql(`
  mutation RegisterModelVersion($input: RegisterModelVersionInput!) {
    registerModelVersion(input: $input) { id version stage artifactUri artifactDigest model { name } }
  }
`);

export const requestTransitionMutation = graphql(`
  mutation RequestTransition($input: RequestTransitionInput!) {
    requestTransition(input: $input) { id status fromStage toStage missing modelVersion { id version stage } }
  }
`);

export const runStatusQuery = graphql(`
  query RunStatus($id: ID!) {
    run(id: $id) { id name status project { key } outputs { id } artifacts { path uri digest kind } }
  }
`);

export const modelVersionsQuery = graphql(`
  query ModelVersions($project: String!, $name: String!) {
    registeredModel(project: $project, name: $name) {
      id name
      productionVersion { id version }
      versions { id version stage artifactDigest }
    }
  }
`);

export const versionAtQuery = graphql(`
  query VersionAt($project: String!, $name: String!, $at: DateTime!, $stage: Stage, $alias: String) {
    registeredModel(project: $project, name: $name) {
      versionAt(at: $at, stage: $stage, alias: $alias) { id version }
    }
  }
`);

export const provenanceQuery = graphql(`
  query Provenance($modelVersionId: ID!) {
    provenance(modelVersionId: $modelVersionId) {
      complete
      missing
      entrypoint
      environment
      modelVersion { id version stage artifactUri artifactDigest model { name } sameArtifactAs { id version model { name } } }
      sourceRun { id name status }
      runs {
        id name status entrypoint startedAt endedAt
        experiment { name }
        commit { id repository sha branch dirty }
        params { key value }
        metrics { key value step }
        outputs { id }
      }
      inputs { role run { id } dataVersion { id contentHash hashAlgorithm uri dataset { name } producedBy { id } } }
      dataVersions { id contentHash hashAlgorithm uri dataset { name } }
      commits { id repository sha branch dirty }
      baseModelVersions { id version model { name } }
    }
  }
`);

export const findNodesQuery = graphql(`
  query FindNodes($project: String!, $text: String!, $first: Int) {
    findNodes(project: $project, text: $text, first: $first) { id kind label }
  }
`);

export const impactQuery = graphql(`
  query Impact($nodeId: ID!, $first: Int, $after: String) {
    impact(nodeId: $nodeId, first: $first, after: $after) {
      complete incompleteReason totalCount hiddenCount reachedNodes
      countsByStage { stage count }
      modelVersions { id version stage artifactDigest model { name } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const modelVersionQuery = graphql(`
  query ModelVersion($id: ID!) {
    modelVersion(id: $id) { id version stage artifactDigest model { name } sameArtifactAs { id version model { name } } }
  }
`);
