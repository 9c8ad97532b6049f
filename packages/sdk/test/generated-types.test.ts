import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { sdkDir } from './utils/paths';

const GENERATED_DIR = 'src/gql';
const FIX = 'run npm run codegen --workspace @pedigree/sdk';

/** codegen's `generate(config, false)` with packages/sdk/codegen.ts, in a child process (see the script). */
async function generateInMemory(): Promise<Array<{ filename: string; content: string }>> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, 'utils', 'codegen-in-memory.mjs')], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout);
}

const readCommitted = (file: string) => readFile(path.join(sdkDir, file), 'utf8').catch(() => undefined);

// The SDK's types are only worth having if they match the committed schema and the operations in src.
test('the committed GraphQL types in src/gql are up to date', async () => {
  const generated = await generateInMemory();
  expect(generated.length).toBeGreaterThan(0);
  const problems: string[] = [];
  for (const { filename, content } of generated) {
    const committed = await readCommitted(filename);
    if (committed === undefined) problems.push(`${filename} is missing`);
    else if (committed !== content) problems.push(`${filename} differs`);
  }
  const expected = new Set(generated.map(({ filename }) => path.normalize(filename)));
  for (const name of await readdir(path.join(sdkDir, GENERATED_DIR))) {
    const file = path.join(GENERATED_DIR, name);
    if (!expected.has(file)) problems.push(`${file} is no longer generated`);
  }
  if (problems.length > 0) throw new Error(`Generated GraphQL types are stale (${problems.join('; ')}): ${FIX}`);
});
