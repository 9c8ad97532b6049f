import type { ProvenanceQuery } from './gql/graphql';

type Provenance = ProvenanceQuery['provenance'];
type ProvenanceRun = Provenance['runs'][number];

const short = (hash: string) => (hash.length > 16 ? `${hash.slice(0, 12)}…${hash.endsWith('.dir') ? '.dir' : ''}` : hash);

/**
 * A provenance answer as an indented tree, from the model version up: each run with its commit,
 * params and inputs, each input with the run that produced it, down to data with no recorded
 * producer (a source). A run reached twice is printed once and referred to after.
 */
export function provenanceTree(provenance: Provenance): string {
  const runsById = new Map<string, ProvenanceRun>(provenance.runs.map((run) => [run.id, run]));
  const inputsByRun = new Map<string, Provenance['inputs']>();
  for (const input of provenance.inputs) inputsByRun.set(input.run.id, [...(inputsByRun.get(input.run.id) ?? []), input]);
  const printed = new Set<string>();
  const lines: string[] = [];
  const version = provenance.modelVersion;
  lines.push(`${version.model.name} v${version.version} (${version.stage})  ${version.artifactDigest}`);
  lines.push(`  artifact ${version.artifactUri}`);
  if (version.sameArtifactAs.length) lines.push(`  same bytes as ${version.sameArtifactAs.map((other) => `${other.model.name} v${other.version}`).join(', ')}`);

  const walk = (runId: string, prefix: string, last: boolean) => {
    const run = runsById.get(runId);
    const branch = `${prefix}${last ? '└─ ' : '├─ '}`;
    const childPrefix = `${prefix}${last ? '   ' : '│  '}`;
    if (!run) {
      lines.push(`${branch}run ${runId} (not readable)`);
      return;
    }
    if (printed.has(runId)) {
      lines.push(`${branch}run ${run.name} ${run.id} (shown above)`);
      return;
    }
    printed.add(runId);
    lines.push(`${branch}run ${run.name} ${run.id} ${run.status}${run.entrypoint ? `  $ ${run.entrypoint}` : ''}`);
    const details: string[] = [];
    if (run.commit) details.push(`commit ${run.commit.repository}@${run.commit.sha.slice(0, 12)}${run.commit.branch ? ` (${run.commit.branch})` : ''}${run.commit.dirty ? ' DIRTY' : ''}`);
    else details.push('commit (none recorded)');
    if (run.params.length) details.push(`params ${run.params.map((param) => `${param.key}=${param.value}`).join(' ')}`);
    if (run.metrics.length) details.push(`metrics ${run.metrics.filter((metric) => !metric.key.startsWith('system.')).map((metric) => `${metric.key}=${metric.value}`).join(' ')}`);
    const inputs = inputsByRun.get(runId) ?? [];
    details.forEach((detail, index) => lines.push(`${childPrefix}${index === details.length - 1 && inputs.length === 0 ? '└─ ' : '├─ '}${detail}`));
    inputs.forEach((input, index) => {
      const lastInput = index === inputs.length - 1;
      const data = input.dataVersion;
      lines.push(`${childPrefix}${lastInput ? '└─ ' : '├─ '}${input.role.toLowerCase()} ${data.dataset.name} ${short(data.contentHash)} (${data.hashAlgorithm})${data.producedBy ? '' : '  [source]'}`);
      if (data.producedBy) walk(data.producedBy.id, `${childPrefix}${lastInput ? '   ' : '│  '}`, true);
    });
  };
  walk(provenance.sourceRun.id, '', true);
  lines.push(provenance.complete ? 'lineage complete' : `lineage incomplete: ${provenance.missing.join('; ')}`);
  return lines.join('\n');
}
