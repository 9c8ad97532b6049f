#!/usr/bin/env node
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { PedigreeClient, PedigreeError } from './client';
import { importDvcLock } from './dvc-import';
import type { DataRole, Stage } from './gql/graphql';
import { digestFromDvcMd5, dvcHash, sha256Digest } from './hashing';
import { runExec } from './run-exec';
import { provenanceTree } from './trace';

/** Exit codes, for scripts; `run exec` exits with its command's code instead. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, NOT_FOUND: 3, DENIED: 4, UNREACHABLE: 5 } as const;

const USAGE = `pedigree: record and query lineage in a Pedigree API

Usage:
  pedigree run exec --project P --experiment E [--name N] [--input DATA_VERSION_ID[:ROLE] ...] [--param KEY=VALUE ...] -- CMD ARGS...
  pedigree data add PATH --project P --dataset D [--uri URI]
  pedigree data import-dvc dvc.lock --project P [--experiment E] [--commit SHA --repository URL [--branch B]]
  pedigree model register --run RUN_ID --model NAME --artifact PATH_OR_URI [--digest sha256:HEX | --dvc-md5 MD5] [--description TEXT] [--idempotency-key KEY] [--project P]
  pedigree model promote NAME VERSION --to STAGING|PRODUCTION|ARCHIVED|NONE --project P [--comment TEXT] [--idempotency-key KEY]
  pedigree trace NAME@production|@staging|@VERSION|@ALIAS --project P [--at ISO_DATE]
  pedigree impact HASH_OR_SHA --project P
  pedigree artifact get sha256:HEX -o FILE

Options: --json (machine-readable output on stdout), --url URL, --token TOKEN, --help.
Environment: PEDIGREE_URL (API base, default http://localhost:4000), PEDIGREE_TOKEN (API token), PEDIGREE_PROJECT (default --project),
  PEDIGREE_UPLOAD_TIMEOUT_MS (log upload limit of run exec, default 60000).
Exit codes: 0 ok, 1 refused by the API, 2 usage, 3 not found, 4 unauthenticated or forbidden, 5 API unreachable; run exec exits with the command's code.`;

const BOOLEAN_OPTIONS = new Set(['json', 'help']);

export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
  /** Everything after `--`. */
  rest: string[];
}

export function parseArgs(argv: string[]): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], options: new Map(), flags: new Set(), rest: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--') {
      parsed.rest = argv.slice(i + 1);
      break;
    }
    if (arg === '-h') {
      parsed.flags.add('help');
    } else if (arg === '-o') {
      // The one short option, as in curl and wget: -o FILE is --output FILE.
      const value = argv[(i += 1)];
      if (value === undefined) throw new UsageError('-o needs a file name');
      parsed.options.set('output', [...(parsed.options.get('output') ?? []), value]);
    } else if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
      if (BOOLEAN_OPTIONS.has(name)) {
        parsed.flags.add(name);
        continue;
      }
      const value = inline ?? argv[(i += 1)];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      parsed.options.set(name, [...(parsed.options.get(name) ?? []), value]);
    } else {
      parsed.positionals.push(arg);
    }
  }
  return parsed;
}

class Command {
  constructor(
    readonly args: ParsedArgs,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  get json(): boolean {
    return this.args.flags.has('json');
  }

  option(name: string): string | undefined {
    const values = this.args.options.get(name);
    return values?.[values.length - 1];
  }

  required(name: string): string {
    const value = this.option(name);
    if (!value) throw new UsageError(`--${name} is required`);
    return value;
  }

  all(name: string): string[] {
    return this.args.options.get(name) ?? [];
  }

  project(): string {
    const project = this.option('project') ?? this.env.PEDIGREE_PROJECT;
    if (!project) throw new UsageError('--project is required (or set PEDIGREE_PROJECT)');
    return project;
  }

  positional(index: number, what: string): string {
    const value = this.args.positionals[index];
    if (!value) throw new UsageError(`${what} is missing`);
    return value;
  }

  client(): PedigreeClient {
    return PedigreeClient.fromEnv(this.env, { ...(this.option('url') ? { url: this.option('url') } : {}), ...(this.option('token') ? { token: this.option('token') } : {}) });
  }

  /** Notes for people go to stderr, so stdout stays the command's or the JSON answer. */
  note(message: string): void {
    process.stderr.write(`pedigree: ${message}\n`);
  }

  output(value: unknown, human: () => string): void {
    process.stdout.write(`${this.json ? JSON.stringify(value, null, 2) : human()}\n`);
  }
}

const ROLES = new Set(['TRAIN', 'VALIDATION', 'TEST', 'OTHER']);
const STAGES = new Set(['NONE', 'STAGING', 'PRODUCTION', 'ARCHIVED']);

async function runExecCommand(command: Command): Promise<number> {
  if (command.args.rest.length === 0) throw new UsageError('give the command to run after --, e.g. pedigree run exec --project p --experiment e -- python train.py');
  const inputs = command.all('input').map((spec) => {
    const [dataVersionId, role = 'TRAIN'] = spec.split(':');
    if (!ROLES.has(role.toUpperCase())) throw new UsageError(`--input ${spec}: the role must be one of ${[...ROLES].join(', ')}`);
    return { dataVersionId, role: role.toUpperCase() as DataRole };
  });
  const params = command.all('param').map((spec) => {
    const at = spec.indexOf('=');
    if (at < 1) throw new UsageError(`--param ${spec}: write KEY=VALUE`);
    return { key: spec.slice(0, at), value: spec.slice(at + 1) };
  });
  const result = await runExec(command.client(), {
    project: command.project(),
    experiment: command.required('experiment'),
    name: command.option('name') ?? null,
    inputs,
    params,
    command: command.args.rest,
    cwd: process.cwd(),
    uploadTimeoutMs: command.env.PEDIGREE_UPLOAD_TIMEOUT_MS ? Number(command.env.PEDIGREE_UPLOAD_TIMEOUT_MS) : undefined,
    note: (message) => command.note(message),
  });
  if (!result.log.uploaded) command.note(`the log was not uploaded, so it is referenced at ${result.log.uri}`);
  if (command.json) command.output(result, () => '');
  return result.exitCode;
}

async function dataAdd(command: Command): Promise<number> {
  const target = command.positional(2, 'PATH');
  if (!existsSync(target)) throw new UsageError(`${target} does not exist`);
  const digest = await dvcHash(target);
  const version = await command.client().registerDataVersion({
    project: command.project(),
    dataset: command.required('dataset'),
    ...digest,
    uri: command.option('uri') ?? pathToFileURL(path.resolve(target)).href,
  });
  command.output(version, () => `${version.dataset.name} ${version.contentHash} (${version.hashAlgorithm}, ${digest.fileCount} file${digest.fileCount === 1 ? '' : 's'}, ${digest.sizeBytes} bytes)  data version ${version.id}`);
  return EXIT.OK;
}

async function importDvc(command: Command): Promise<number> {
  const lockFile = command.positional(2, 'the dvc.lock path');
  if (!existsSync(lockFile)) throw new UsageError(`${lockFile} does not exist`);
  const sha = command.option('commit');
  if (sha && !command.option('repository')) throw new UsageError('--commit needs --repository');
  const stages = await importDvcLock(command.client(), lockFile, {
    project: command.project(),
    experiment: command.option('experiment'),
    commit: sha ? { repository: command.required('repository'), sha, branch: command.option('branch') ?? null } : undefined,
  });
  command.output({ stages }, () =>
    stages
      .map((stage) => [
        `${stage.created ? 'recorded' : 'unchanged'} ${stage.stage}: run ${stage.runId}, ${stage.inputs.length} inputs, ${stage.outputs.length} outputs`,
        ...stage.outputs.map((output) => `  out ${output.path} ${output.contentHash} (${output.hashAlgorithm})  data version ${output.dataVersionId}`),
        ...stage.skipped.map((note) => `  skipped ${note}`),
      ].join('\n'))
      .join('\n'),
  );
  return EXIT.OK;
}

/** Where the model's bytes are and which they are: a local file is hashed; a URI needs its digest given. */
async function artifactOf(command: Command): Promise<{ uri: string; digest: string }> {
  const artifact = command.required('artifact');
  const given = command.option('digest');
  const dvcMd5 = command.option('dvc-md5');
  if (existsSync(artifact)) {
    if (!statSync(artifact).isFile()) throw new UsageError(`${artifact} is a directory: register an archive of it, or give its URI with --digest`);
    return { uri: pathToFileURL(path.resolve(artifact)).href, digest: await sha256Digest(artifact) };
  }
  if (given) return { uri: artifact, digest: given };
  if (dvcMd5) return { uri: artifact, digest: digestFromDvcMd5(dvcMd5) };
  throw new UsageError(`${artifact} is not a local file: give the digest of its bytes with --digest sha256:HEX, or --dvc-md5 MD5 for a DVC-tracked file`);
}

async function modelRegister(command: Command): Promise<number> {
  const client = command.client();
  const runId = command.required('run');
  const model = command.required('model');
  const { uri, digest } = await artifactOf(command);
  const project = command.option('project') ?? command.env.PEDIGREE_PROJECT ?? (await client.run(runId))?.project.key;
  if (!project) throw new PedigreeError('NOT_FOUND', `Run ${runId} was not found, or you have no access to it`);
  // Without --idempotency-key the client makes one per invocation; with one, re-running the command (a CI retry) finds the first version.
  const version = await client.registerModelVersion({ project, model, runId, artifactUri: uri, artifactDigest: digest, description: command.option('description') ?? null, idempotencyKey: command.option('idempotency-key') });
  command.output(version, () => `${version.model.name} v${version.version} (${version.stage})  ${version.artifactDigest}  model version ${version.id}`);
  return EXIT.OK;
}

async function modelPromote(command: Command): Promise<number> {
  const client = command.client();
  const name = command.positional(2, 'the model NAME');
  const versionNumber = Number(command.positional(3, 'the VERSION').replace(/^v/, ''));
  const toStage = command.required('to').toUpperCase();
  if (!STAGES.has(toStage)) throw new UsageError(`--to must be one of ${[...STAGES].join(', ')}`);
  const project = command.project();
  const model = await client.registeredModel(project, name);
  const version = model?.versions.find((candidate) => candidate.version === versionNumber);
  if (!version) throw new PedigreeError('NOT_FOUND', `${name} has no version ${versionNumber} in project ${project}`);
  const request = await client.requestTransition({ modelVersionId: version.id, toStage: toStage as Stage, comment: command.option('comment') ?? null, idempotencyKey: command.option('idempotency-key') });
  command.output(request, () =>
    request.status === 'APPLIED'
      ? `${name} v${versionNumber} is now ${request.toStage}`
      : `${name} v${versionNumber}: request ${request.id} to move ${request.fromStage} → ${request.toStage} is ${request.status}${request.missing.length ? ` (${request.missing.join('; ')})` : ''}`,
  );
  return EXIT.OK;
}

/** NAME@production, NAME@staging, NAME@3 (or @v3), NAME@champion (an alias). */
async function resolveVersion(client: PedigreeClient, project: string, spec: string, at: Date | null): Promise<{ id: string; label: string }> {
  const split = spec.lastIndexOf('@');
  if (split < 1 || split === spec.length - 1) throw new UsageError(`write NAME@production, NAME@staging, NAME@VERSION or NAME@ALIAS, not "${spec}"`);
  const name = spec.slice(0, split);
  const selector = spec.slice(split + 1);
  const stage = selector.toUpperCase();
  const missing = () => new PedigreeError('NOT_FOUND', `${spec}: no such version in project ${project}`);
  if (/^v?\d+$/.test(selector)) {
    const model = await client.registeredModel(project, name);
    const version = model?.versions.find((candidate) => candidate.version === Number(selector.replace(/^v/, '')));
    if (!version) throw missing();
    return { id: version.id, label: spec };
  }
  if (stage === 'PRODUCTION' && !at) {
    const model = await client.registeredModel(project, name);
    if (!model?.productionVersion) throw new PedigreeError('NOT_FOUND', `${name} has no PRODUCTION version in project ${project}`);
    return { id: model.productionVersion.id, label: spec };
  }
  const version = await client.versionAt(project, name, at ?? new Date(), STAGES.has(stage) ? { stage: stage as Stage } : { alias: selector });
  if (!version) throw missing();
  return { id: version.id, label: spec };
}

async function trace(command: Command): Promise<number> {
  const client = command.client();
  const atOption = command.option('at');
  const at = atOption ? new Date(atOption) : null;
  if (at && Number.isNaN(at.getTime())) throw new UsageError('--at must be an ISO 8601 date-time');
  const { id } = await resolveVersion(client, command.project(), command.positional(1, 'NAME@STAGE'), at);
  const provenance = await client.provenance(id);
  command.output(provenance, () => provenanceTree(provenance));
  return EXIT.OK;
}

async function impact(command: Command): Promise<number> {
  const client = command.client();
  const text = command.positional(1, 'the HASH_OR_SHA');
  const matches = await client.findNodes(command.project(), text, 100);
  if (matches.length === 0) throw new PedigreeError('NOT_FOUND', `Nothing in project ${command.project()} matches "${text}" (a commit sha, a content hash or a prefix of 4+ hex characters)`);
  // One content can be a version of several datasets: the impact of each is part of the answer.
  const reports = [];
  for (const match of matches) reports.push({ node: match, report: await client.impact(match.id) });
  const byId = new Map(reports.flatMap(({ report }) => report.modelVersions.map((version) => [version.id, version] as const)));
  const modelVersions = [...byId.values()];
  const complete = reports.every(({ report }) => report.complete);
  const hiddenCount = reports.reduce((sum, { report }) => sum + report.hiddenCount, 0);
  command.output({ matches, complete, hiddenCount, modelVersions }, () =>
    [
      ...matches.map((match) => `${match.kind} ${match.label} (${match.id})`),
      `reaches ${modelVersions.length} model version${modelVersions.length === 1 ? '' : 's'}${complete ? '' : ' (incomplete: the walk was cut short)'}${hiddenCount ? `, and ${hiddenCount} in projects you cannot read` : ''}:`,
      ...modelVersions.map((version) => `  ${version.model.name} v${version.version}  ${version.stage}  ${version.artifactDigest}`),
    ].join('\n'),
  );
  return EXIT.OK;
}

/** Downloads a stored artifact, streaming it to the file and checking the bytes against the digest. */
async function artifactGet(command: Command): Promise<number> {
  const digest = command.positional(2, 'DIGEST');
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new UsageError('DIGEST must be sha256: followed by 64 lowercase hex characters');
  const file = command.required('output');
  const response = await command.client().http(`/api/v1/artifacts/${digest}`, { method: 'GET' });
  if (!response.ok || !response.body) {
    const code = response.status === 404 ? 'NOT_FOUND' : response.status === 401 ? 'UNAUTHENTICATED' : 'FAILED';
    throw new PedigreeError(code, response.status === 404 ? `No artifact ${digest} that you may read.` : `The API answered HTTP ${response.status} for ${digest}.`);
  }
  const hash = createHash('sha256');
  const partial = `${file}.partial`;
  await pipeline(
    Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
    new Transform({
      transform(chunk, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    }),
    createWriteStream(partial),
  );
  const received = `sha256:${hash.digest('hex')}`;
  if (received !== digest) {
    rmSync(partial, { force: true });
    throw new PedigreeError('FAILED', `The bytes received hash to ${received}, not ${digest}; nothing was written.`);
  }
  renameSync(partial, file);
  command.output({ digest, file }, () => `wrote ${file}`);
  return EXIT.OK;
}

const COMMANDS: Record<string, (command: Command) => Promise<number>> = {
  'artifact get': artifactGet,
  'run exec': runExecCommand,
  'data add': dataAdd,
  'data import-dvc': importDvc,
  'model register': modelRegister,
  'model promote': modelPromote,
  trace,
  impact,
};

function exitCodeOf(error: PedigreeError): number {
  if (error.code === 'NETWORK_ERROR') return EXIT.UNREACHABLE;
  if (error.code === 'NOT_FOUND') return EXIT.NOT_FOUND;
  if (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN') return EXIT.DENIED;
  return EXIT.FAILED;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`pedigree: ${(error as Error).message}\n${USAGE}\n`);
    return EXIT.USAGE;
  }
  const command = new Command(args, env);
  const [first, second] = args.positionals;
  const handler = COMMANDS[`${first} ${second}`] ?? COMMANDS[first];
  if (args.flags.has('help') || !handler) {
    process.stdout.write(`${USAGE}\n`);
    return args.flags.has('help') || !first ? EXIT.OK : EXIT.USAGE;
  }
  try {
    return await handler(command);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof PedigreeError)) throw error;
    const code = error instanceof UsageError ? 'USAGE' : error.code;
    if (command.json) process.stdout.write(`${JSON.stringify({ error: { code, message: error.message } })}\n`);
    process.stderr.write(`pedigree: ${error.message}${error instanceof UsageError ? '\nRun pedigree --help for usage.' : ''}\n`);
    return error instanceof UsageError ? EXIT.USAGE : exitCodeOf(error);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`pedigree: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = EXIT.FAILED;
    },
  );
}
