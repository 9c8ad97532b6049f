import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN, startTestApp, type TestApp } from './utils/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** The README's curl session, exactly as written, so the README stays true. */
function readmeCurlSession(): string {
  const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
  const match = /<!-- readme-curl-session[^>]*-->\s*```bash\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README.md has no curl session block');
  return match[1];
}

describe('the README', () => {
  it('has a curl session that registers a model traced to its commit and data', async () => {
    // Asynchronous: the API answering curl runs in this very process.
    const { stdout: output } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', readmeCurlSession()], {
      env: { ...process.env, API: app.url, PEDIGREE_ADMIN_EMAIL: ADMIN.email, PEDIGREE_ADMIN_PASSWORD: ADMIN.password },
      encoding: 'utf8',
    });
    expect(output).not.toContain('"errors"');
    expect(output).toContain(
      '{"data":{"registerModelVersion":{"version":1,"stage":"NONE","sourceRun":{"commit":{"sha":"0d46eb42e874eb1f681adda2aa772b6d1ea2bb97"},"inputs":[{"role":"TRAIN","dataVersion":{"contentHash":"22a1a2931c8370d3aeedd7183606fd7f"}}]}}}}',
    );
  });
});
