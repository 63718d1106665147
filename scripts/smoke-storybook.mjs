// The main job, checked as a newcomer meets it: Storybook's dev server on 127.0.0.1 (with the sandbox
// emulator), then the built static Storybook served from disk. In Chromium, the manager and stories load
// with no console error, no page error and no request beyond this machine.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { assertMarkersExist, findServerTraces } from './server-traces.mjs';

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
// The same command as `pnpm start`, on a free port so that a running Storybook does not collide.
const storybook = spawn(
  'pnpm',
  ['exec', 'storybook', 'dev', '--port', String(port), '--host', '127.0.0.1', '--ci', '--no-open'],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  },
);
let output = '';
storybook.stdout.on('data', (chunk) => (output += chunk));
storybook.stderr.on('data', (chunk) => (output += chunk));
const stop = () => {
  try {
    process.kill(-storybook.pid, 'SIGTERM');
  } catch {}
};

/** Opens each path of a Storybook in Chromium and returns every problem seen. */
async function visit(origin, checks) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  const problems = [];
  try {
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error on ${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
    page.on('request', (request) => {
      const { hostname, protocol } = new URL(request.url());
      if (protocol.startsWith('http') && hostname !== '127.0.0.1' && hostname !== 'localhost') {
        problems.push(`request beyond this machine: ${request.url()}`);
      }
    });
    for (const { path, ready } of checks) {
      await page.goto(`${origin}${path}`, { waitUntil: 'load' });
      await ready(page);
      await page.waitForTimeout(500);
    }
  } finally {
    await browser.close();
  }
  return problems;
}

const inPreview = (page) => page.frameLocator('#storybook-preview-iframe');

async function checkDevServer() {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`Storybook did not answer on ${base} within 90 s:\n${output}`);
    try {
      if ((await fetch(`${base}/iframe.html`)).ok) break;
    } catch {}
    await new Promise((wait) => setTimeout(wait, 300));
  }
  return visit(base, [
    {
      path: '/?path=/story/components-mobilianspaybutton--paid-and-verified',
      ready: (page) =>
        inPreview(page).getByRole('button', { name: '결제하기', exact: true }).waitFor({ timeout: 30_000 }),
    },
    {
      // The emulator answers inside the dev server: the story's play function pays in the served SDK's
      // window, and the emulator's record of the payment appears.
      path: '/?path=/story/flows-emulator--paid-and-recorded',
      ready: (page) =>
        inPreview(page).getByRole('region', { name: '에뮬레이터가 기록한 결제' }).waitFor({ timeout: 30_000 }),
    },
  ]);
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

async function checkStaticBuild() {
  const out = join(process.cwd(), 'storybook-static');
  // A secret in the build's environment, as a merchant's machine has one: it must not reach the bundle.
  const secret = `smoke-secret-${Math.random().toString(36).slice(2)}`;
  const built = spawnSync('pnpm', ['exec', 'storybook', 'build', '--quiet', '--output-dir', out], {
    encoding: 'utf8',
    env: { ...process.env, PORTONE_IMP_SECRET: secret, STORYBOOK_PORTONE_IMP_SECRET: secret },
  });
  if (built.status !== 0) throw new Error(`storybook build failed:\n${built.stdout}\n${built.stderr}`);
  assertMarkersExist(join(process.cwd(), 'packages/server/src'));
  const traces = findServerTraces(out, secret);
  if (traces.length > 0)
    throw new Error(`the static Storybook holds what a browser must never get:\n  ${traces.join('\n  ')}`);
  const server = createHttpServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    let file = join(out, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
  const origin = `http://127.0.0.1:${server.address().port}`;
  try {
    return await visit(origin, [
      {
        path: '/?path=/story/flows-payment-window--phone-approved',
        ready: (page) =>
          inPreview(page).getByRole('button', { name: '결제하기', exact: true }).waitFor({ timeout: 30_000 }),
      },
      {
        path: '/?path=/docs/docs-quick-start--docs',
        ready: (page) => inPreview(page).getByRole('heading', { name: 'Quick start' }).waitFor({ timeout: 30_000 }),
      },
    ]);
  } finally {
    server.close();
  }
}

let failed = false;
try {
  const problems = [...(await checkDevServer())];
  stop();
  problems.push(...(await checkStaticBuild()));
  if (problems.length > 0) {
    failed = true;
    console.error(`Storybook smoke check failed:\n  ${problems.join('\n  ')}`);
  } else {
    console.log(
      'Storybook smoke check: the dev server (with the emulator) and the static build load in Chromium, with no ' +
        'console error and nothing beyond 127.0.0.1; the static build holds no server code and no secret.',
    );
  }
} catch (error) {
  failed = true;
  console.error(`Storybook smoke check failed: ${error instanceof Error ? error.message : error}`);
} finally {
  stop();
}
process.exit(failed ? 1 : 0);
