// The Next.js example (examples/next), built with secrets in its environment as a merchant's machine has
// them: its browser bundles must hold neither a secret nor any server code (@portone-kit/server, the
// shop's SQLite store), and its server bundles no secret (the app reads them from the environment at run
// time, never at build time). The server bundles must hold the server markers: proof the scan can see them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertMarkersExist, findServerTraces } from './server-traces.mjs';

const app = join(process.cwd(), 'examples/next');
const distName = '.next-bundle-check';
const dist = join(app, distName);
const secret = `next-secret-${Math.random().toString(36).slice(2)}`;
const key = `next-key-${Math.random().toString(36).slice(2)}`;
/** Code of the shop's order store (examples/shop/src/server/db.ts), which only the server may load. */
const STORE_MARKERS = ['CREATE TABLE IF NOT EXISTS orders', 'better-sqlite3'];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const textFiles = (dir) => files(dir).filter((file) => /\.(js|mjs|cjs|html|css|json|map|rsc|body)$/.test(file));

// `next build` points next-env.d.ts at its output directory: put back what the app had.
const nextEnv = join(app, 'next-env.d.ts');
const nextEnvBefore = existsSync(nextEnv) ? readFileSync(nextEnv, 'utf8') : null;

try {
  const started = Date.now();
  const built = spawnSync('pnpm', ['--filter', 'example-next', 'exec', 'next', 'build'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      NEXT_DIST_DIR: distName,
      NEXT_TELEMETRY_DISABLED: '1',
      PORTONE_IMP_KEY: key,
      PORTONE_IMP_SECRET: secret,
      NEXT_PUBLIC_PORTONE_IMP_SECRET: secret,
      SHOP_SESSION_SECRET: secret,
    },
  });
  if (built.status !== 0) throw new Error(`the Next.js example's build failed:\n${built.stdout}\n${built.stderr}`);
  assertMarkersExist(join(process.cwd(), 'packages/server/src'));
  const client = join(dist, 'static');
  const server = join(dist, 'server');
  if (!existsSync(client) || !existsSync(server)) throw new Error(`no ${distName}/static or ${distName}/server`);

  const found = findServerTraces(client, secret);
  for (const file of textFiles(client)) {
    const text = readFileSync(file, 'utf8');
    for (const marker of [...STORE_MARKERS, key]) if (text.includes(marker)) found.push(`${file}: ${marker}`);
  }
  for (const file of textFiles(server)) {
    const text = readFileSync(file, 'utf8');
    for (const value of [secret, key])
      if (text.includes(value)) found.push(`${file}: a secret of the build's environment`);
  }
  // The scan must be able to see what it looks for: the server bundles do hold the server's code.
  if (findServerTraces(server, null).length === 0)
    throw new Error(`no server marker in ${distName}/server: the scan is blind`);
  const storeSeen = textFiles(server).some((file) => readFileSync(file, 'utf8').includes(STORE_MARKERS[0]));
  if (!storeSeen) throw new Error(`the shop's order store is not in ${distName}/server: the scan is blind`);
  if (found.length > 0) throw new Error(`the Next.js example's build holds what it must not:\n  ${found.join('\n  ')}`);
  console.log(
    `Next bundle check: the browser bundles hold no server code and no secret, the server bundles no secret (${((Date.now() - started) / 1000).toFixed(0)} s).`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  rmSync(dist, { recursive: true, force: true });
  if (nextEnvBefore === null) rmSync(nextEnv, { force: true });
  else writeFileSync(nextEnv, nextEnvBefore);
}
