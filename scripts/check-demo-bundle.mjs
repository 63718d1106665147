// The example shop's browser build, made with a secret in its environment as a merchant's machine has
// one, must hold neither that secret nor any of @portone-kit/server's code.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertMarkersExist, findServerTraces } from './server-traces.mjs';

const out = mkdtempSync(join(tmpdir(), 'shop-client-'));
const secret = `demo-secret-${Math.random().toString(36).slice(2)}`;
try {
  const built = spawnSync(
    'pnpm',
    ['--filter', 'example-shop', 'exec', 'vite', 'build', '--outDir', out, '--emptyOutDir'],
    {
      encoding: 'utf8',
      env: { ...process.env, PORTONE_IMP_SECRET: secret, VITE_PORTONE_IMP_SECRET: secret },
    },
  );
  if (built.status !== 0) throw new Error(`the shop's client build failed:\n${built.stdout}\n${built.stderr}`);
  assertMarkersExist(join(process.cwd(), 'packages/server/src'));
  const traces = findServerTraces(out, secret);
  if (traces.length > 0)
    throw new Error(`the shop's browser build holds what a browser must never get:\n  ${traces.join('\n  ')}`);
  console.log("Demo bundle check: the shop's browser build holds no server code and no secret.");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
