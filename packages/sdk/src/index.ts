export { PedigreeClient, PedigreeError, METRICS_PER_CALL, type PedigreeClientOptions } from './client';
export { importDvcLock, parseDvcLock, stageKey, type DvcImportOptions, type ImportedStage } from './dvc-import';
export { digestFromDvcMd5, dvcDirectoryListing, dvcHash, sha256Digest, type ContentDigest } from './hashing';
export { environmentOf, gitState, LOCK_FILES, type GitState } from './capture';
export { runExec, metricOfLine, type RunExecOptions, type RunExecResult } from './run-exec';
export { provenanceTree } from './trace';
export * as operations from './operations';
export type * from './gql/graphql';
