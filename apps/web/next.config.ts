import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // A second build directory lets two builds (e.g. two checkouts' tests) run side by side.
  distDir: process.env.PEDIGREE_WEB_DIST_DIR || '.next',
};

export default nextConfig;
