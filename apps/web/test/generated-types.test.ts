import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { webDir } from './utils/paths';

const GENERATED_DIR = 'src/gql';
const FIX = 'run npm run codegen --workspace @pedigree/web';

interface GeneratedFile {
  filename: string;
  content: string;
}

/** codegen's `generate(config, false)` with apps/web/codegen.ts; see the script for why it is a child process. */
async function generateInMemory(): Promise<GeneratedFile[]> {
  const script = path.join(__dirname, 'utils', 'codegen-in-memory.mjs');
  const { stdout } = await promisify(execFile)(process.execPath, [script], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as GeneratedFile[];
}

async function readCommitted(file: string): Promise<string | undefined> {
  try {
    return await readFile(path.join(webDir, file), 'utf8');
  } catch {
    return undefined;
  }
}

// The committed types are only worth having if they match the committed schema and the operations in src.
test('the committed GraphQL types in src/gql are up to date', async () => {
  const generated = await generateInMemory();
  expect(generated.length).toBeGreaterThan(0);

  const problems: string[] = [];
  for (const { filename, content } of generated) {
    const committed = await readCommitted(filename);
    if (committed === undefined) problems.push(`${filename} is missing`);
    else if (committed !== content) problems.push(`${filename} differs`);
  }
  // A file codegen no longer produces (say, after a config change) is stale too.
  const expected = new Set(generated.map(({ filename }) => path.normalize(filename)));
  for (const name of await readdir(path.join(webDir, GENERATED_DIR))) {
    const file = path.join(GENERATED_DIR, name);
    if (!expected.has(file)) problems.push(`${file} is no longer generated`);
  }

  if (problems.length > 0) {
    throw new Error(`Generated GraphQL types are stale (${problems.join('; ')}): ${FIX}`);
  }
});
