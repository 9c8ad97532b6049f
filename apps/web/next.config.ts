import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // A second build directory lets two builds (e.g. two checkouts' tests) run side by side.
  distDir: process.env.PEDIGREE_WEB_DIST_DIR || '.next',
  // CSRF: every mutation goes through a server action. Next answers server actions only to POST and
  // refuses one whose Origin does not match the host, and the session cookie is SameSite=Lax. Keep
  // `experimental.serverActions.allowedOrigins` unset, and never mutate from a GET route handler.
};

export default nextConfig;
