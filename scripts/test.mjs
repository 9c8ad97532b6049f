// `npm test`: installs, builds, and runs every workspace's tests against real PostgreSQL (the
// server in DATABASE_URL, or an embedded one) and a real headless Chromium.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureInstalled, repoRoot } from './ensure-install.mjs';

function ensureChromium() {
  const browser = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (existsSync(browser)) return;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`The web tests need Chromium at ${browser}. Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  console.log('Installing Chromium for the browser tests (apt-get install chromium)…');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit', shell: '/bin/bash' });
}

ensureInstalled();
ensureChromium();
execSync('npx turbo run build', { cwd: repoRoot, stdio: 'inherit' });
execSync('npx turbo run test --concurrency=1 --output-logs=full', { cwd: repoRoot, stdio: 'inherit' });
