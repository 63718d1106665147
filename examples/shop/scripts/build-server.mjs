// Bundles the Node side (the server and the end-to-end tests) with esbuild: Node 20 cannot run .ts files.
// Packages stay imports, so the workspace packages are loaded from their built dist and SQLite natively.
import { build } from 'esbuild';

const shared = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
};

await build({ ...shared, entryPoints: ['src/server/main.ts', 'src/server/app.ts'], outdir: 'dist/server' });
await build({ ...shared, entryPoints: ['e2e/run.ts'], outdir: 'dist/e2e' });
