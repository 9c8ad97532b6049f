/** Input limits and formats, documented in the README; every message says what would be accepted. */
export const LIMITS = {
  key: 250,
  paramValue: 6000,
  tagValue: 5000,
  name: 250,
  text: 10_000,
  uri: 2048,
  metricsPerCall: 1000,
  paramsPerRun: 1000,
  tagsPerRun: 200,
  inputsPerRun: 1000,
  outputsPerRun: 1000,
  artifactsPerRun: 1000,
  derivedFromPerVersion: 1000,
  environmentBytes: 64 * 1024,
  password: { min: 10, max: 200 },
} as const;

export const PATTERNS = {
  /** Lowercase letters, digits and hyphens, 2-63 characters, starting with a letter. */
  projectKey: /^[a-z][a-z0-9-]{1,62}$/,
  /** Letters, digits, '.', '_' and '-', 1-128 characters, starting with a letter or digit. */
  modelName: /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
  /** Like a model name, plus '/' for path-like dataset names such as "data/prepared". */
  datasetName: /^[A-Za-z0-9][A-Za-z0-9._\/-]{0,249}$/,
  sha: /^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/,
  artifactDigest: /^sha256:[0-9a-f]{64}$/,
  /** Param, tag and metric keys: printable, no leading or trailing space. */
  key: /^[^\s\u0000-\u001f](?:[^\u0000-\u001f]*[^\s\u0000-\u001f])?$/,
};

export const CONTENT_HASH_PATTERNS: Record<string, RegExp> = {
  md5: /^[0-9a-f]{32}(?:\.dir)?$/,
  'md5-dos2unix': /^[0-9a-f]{32}(?:\.dir)?$/,
  sha256: /^[0-9a-f]{64}$/,
};
