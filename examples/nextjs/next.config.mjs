/**
 * Switchyard's packages stay outside the server bundle: createProviders imports the adapter the
 * environment selects by its package name at run time, which a bundler cannot follow, and sharp and
 * PGlite carry native or WebAssembly files.
 * @type {import('next').NextConfig}
 */
const nextConfig = {
  serverExternalPackages: [
    '@switchyard/core',
    '@switchyard/local',
    '@switchyard/aws',
    '@switchyard/postgres',
    'community-app',
    '@electric-sql/pglite',
  ],
  poweredByHeader: false,
  // `npm run typecheck` (tsc --noEmit, run by the repository's npm test) checks the types; doing it
  // again inside next build doubled the build time.
  typescript: { ignoreBuildErrors: true },
  experimental: {
    // The build's on-disk cache took longer to write than this small app takes to compile, and CI
    // starts from a clean clone where it would never be read.
    turbopackFileSystemCacheForBuild: false,
  },
};

export default nextConfig;
