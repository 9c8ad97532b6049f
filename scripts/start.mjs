// `npm start`: installs and builds what is missing, then serves the API (PORT, default 4000) and
// the web app (WEB_PORT, default 3000). `--api-only` serves the API alone.
import { execSync, spawn } from 'node:child_process';
import path from 'node:path';
import { ensureInstalled, repoRoot } from './ensure-install.mjs';

const apiOnly = process.argv.includes('--api-only');
const apiPort = process.env.PORT || '4000';
const webPort = process.env.WEB_PORT || '3000';

ensureInstalled();
execSync(`npx turbo run build ${apiOnly ? '--filter=@pedigree/api...' : ''}`, { cwd: repoRoot, stdio: 'inherit' });

const children = [];
function launch(name, command, args, options) {
  // Each child leads its own process group, so stopping it also stops what it spawned (next-server).
  const child = spawn(command, args, { stdio: 'inherit', detached: true, ...options });
  child.on('exit', (code, signal) => {
    console.log(`${name} exited (${signal ?? code}); stopping Pedigree.`);
    shutdown(code ?? 1);
  });
  children.push(child);
  return child;
}

let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    if (child.exitCode !== null) continue;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // the group is already gone
    }
  }
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.on('exit', resolve)) : null))).then(() => process.exit(code));
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

async function waitForApi() {
  const url = `http://127.0.0.1:${apiPort}/healthz`;
  for (let attempt = 0; attempt < 240; attempt += 1) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the API did not answer ${url} within two minutes`);
}

launch('API', process.execPath, [path.join(repoRoot, 'apps/api/dist/main.js')], { cwd: repoRoot, env: { ...process.env, PORT: apiPort } });
if (!apiOnly) {
  await waitForApi();
  launch('Web', 'npx', ['next', 'start', '-p', webPort], {
    cwd: path.join(repoRoot, 'apps/web'),
    env: { ...process.env, PEDIGREE_API_URL: process.env.PEDIGREE_API_URL || `http://127.0.0.1:${apiPort}/graphql` },
  });
  console.log(`Pedigree web app: http://localhost:${webPort}  API: http://localhost:${apiPort}/graphql`);
}
