// Runs GraphQL codegen with packages/sdk/codegen.ts, as `npm run codegen` does, and prints the generated
// files as JSON instead of writing them. A separate Node process because @graphql-codegen/cli requires
// ESM-only packages that jest's module loader cannot load on Node 20 (as in apps/web).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';

const sdkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { config } = await loadCodegenConfig({ configFilePath: path.join(sdkDir, 'codegen.ts') });
// `false`: keep the output in memory; this must never rewrite the files it is compared with.
const files = await generate({ ...config, cwd: sdkDir, silent: true }, false);
process.stdout.write(JSON.stringify(files.map(({ filename, content }) => ({ filename, content }))));
