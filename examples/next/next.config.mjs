import { fileURLToPath } from 'node:url';

// The repository root: the shop's order store (a workspace package, TypeScript source) lives outside this app.
const root = fileURLToPath(new URL('../..', import.meta.url));

/** @type {import('next').NextConfig} */
export default {
  // example-shop exports its order store as TypeScript source: Next compiles it like the app's own code.
  transpilePackages: ['example-shop'],
  turbopack: {
    root,
    rules: {
      // The shop's sources import each other as `./payments.js`: see scripts/shop-imports-loader.cjs.
      '*.ts': {
        condition: { path: /examples\/shop\/src\// },
        loaders: [fileURLToPath(new URL('./scripts/shop-imports-loader.cjs', import.meta.url))],
        as: '*.ts',
      },
    },
  },
  // The SQLite driver is a native module: loaded by Node at run time, never bundled.
  serverExternalPackages: ['better-sqlite3'],
  outputFileTracingRoot: root,
  poweredByHeader: false,
  // The bundle check (scripts/check-next-bundle.mjs at the root) builds into a directory of its own.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // `pnpm typecheck` checks the app with the repository's TypeScript 7, which has no JS API for Next's checker.
  typescript: { ignoreBuildErrors: true },
};
