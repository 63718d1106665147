// The main job, checked as a newcomer meets it: Storybook's dev server on 127.0.0.1 (with the sandbox
// emulator), then the built static Storybook served from disk. In Chromium, the manager opens on Quick
// start with no onboarding checklist, and EVERY story and docs entry of Storybook's index.json loads (each
// story until its play function ends) with no console error, no page error, no request beyond this
// machine, and no failure text where the entry is not about that failure.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { assertMarkersExist, findServerTraces } from './server-traces.mjs';

/** axe-core's browser build, put into each docs page. */
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

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

/**
 * The texts that say something failed: the kit's (Korean, as the stories show them) and Storybook's own.
 * An entry shows one only where it is about that failure (FAILURES_SHOWN).
 */
const FAILURE_TEXTS = [
  '결제 모듈을 불러오지 못했습니다',
  '결제에 실패했습니다',
  '정기결제 등록에 실패했습니다',
  '결제창의 응답이 없습니다',
  '결제를 확인하지 못했습니다',
  '결제 결과를 확인할 수 없습니다',
  '일치하지 않습니다',
  'No Preview',
];

/** Entries whose story ends on a failure on purpose, and the texts it may show (ids of index.json). */
const FAILURES_SHOWN = {
  'components-mobilianspaybutton--declined': ['결제에 실패했습니다'],
  'components-mobilianspaybutton--billing-key-declined': ['정기결제 등록에 실패했습니다'],
  'components-redirectresulthandler--failed': ['결제에 실패했습니다'],
  'components-redirectresulthandler--crafted-link': ['결제에 실패했습니다'],
  'flows-mobile-redirect--declined': ['결제에 실패했습니다'],
  'flows-payment-window--card-declined': ['결제에 실패했습니다'],
  'flows-emulator--declined': ['결제에 실패했습니다'],
  'styling-button-states--failed': ['결제에 실패했습니다'],
  'styling-button-states--failed-dark': ['결제에 실패했습니다'],
  'styling-button-states--sdk-error': ['결제 모듈을 불러오지 못했습니다'],
  'styling-button-states--sdk-error-dark': ['결제 모듈을 불러오지 못했습니다'],
};

/**
 * Entries that need the dev server's own routes (the emulator, a script that never answers): a static
 * build has none, and says so in their text. Opened on the dev server only.
 */
const NEEDS_DEV_SERVER = [
  'flows-emulator--',
  'components-mobilianspaybutton--sdk-loading',
  'styling-button-states--loading',
];

const inPreview = (page) => page.frameLocator('#storybook-preview-iframe');

/** Watches a page for console errors, page errors and requests beyond 127.0.0.1; `where` names the entry. */
function watch(page, problems, where) {
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error on ${where.current}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error on ${where.current}: ${error.message}`));
  page.on('request', (request) => {
    const { hostname, protocol } = new URL(request.url());
    if (protocol.startsWith('http') && hostname !== '127.0.0.1' && hostname !== 'localhost') {
      problems.push(`request beyond this machine on ${where.current}: ${request.url()}`);
    }
  });
}

/** Waits until a story's play function has ended, or a docs page has rendered its examples. */
async function settled(page, type) {
  await page.waitForFunction(
    (kind) => {
      const body = document.body;
      if (!body.classList.contains('sb-show-main') && !body.classList.contains('sb-show-errordisplay')) return false;
      if (body.classList.contains('sb-show-errordisplay')) return true;
      if (kind === 'docs') return document.querySelector('.sbdocs') !== null;
      // A story's render ends "finished" (after its play function and the accessibility check) or "aborted".
      const phase = window.__STORYBOOK_PREVIEW__?.currentRender?.phase;
      return phase === 'finished' || phase === 'aborted';
    },
    type,
    { timeout: 60_000, polling: 100 },
  );
  // Docs examples mount and load their SDK after the page renders: let the page's requests end.
  if (type === 'docs') await page.waitForLoadState('networkidle');
}

/** Opens one entry of the index on its own preview page and returns what is wrong with it. */
async function openEntry(page, origin, entry, where) {
  const problems = [];
  const viewMode = entry.type === 'docs' ? 'docs' : 'story';
  await page.goto(`${origin}/iframe.html?id=${entry.id}&viewMode=${viewMode}`, {
    waitUntil: 'domcontentloaded',
    timeout: 60_000,
  });
  try {
    await settled(page, entry.type);
  } catch (error) {
    if (/context was destroyed/.test(String(error))) throw error;
    return [`${where} did not finish within 60 s`];
  }
  if (await page.evaluate(() => document.body.classList.contains('sb-show-errordisplay')))
    problems.push(`${where} shows Storybook's error: ${await page.locator('#error-message').textContent()}`);
  // What the examples show, by story: the story's root, or on a docs page each rendered example (not the prose).
  const shown = await page.evaluate(
    ({ kind, id }) =>
      kind === 'docs'
        ? [...document.querySelectorAll('[id^="anchor--"]')].map((anchor) => [
            anchor.id.replace(/^anchor--(primary--)?/, ''),
            anchor.querySelector('.docs-story')?.textContent ?? '',
          ])
        : [[id, document.querySelector('#storybook-root')?.textContent ?? '']],
    { kind: entry.type, id: entry.id },
  );
  for (const [story, text] of shown) {
    const allowed = FAILURES_SHOWN[story] ?? [];
    for (const failure of FAILURE_TEXTS) {
      if (text.includes(failure) && !allowed.includes(failure))
        problems.push(`${where} shows "${failure}"${story === entry.id ? '' : ` in ${story}`}`);
    }
  }
  // Stories pass axe in their own test (Storybook's a11y check); a docs page, prose and examples, here.
  if (entry.type === 'docs') {
    await page.addScriptTag({ path: AXE });
    const audit = () =>
      page.evaluate(async () => {
        const { violations } = await window.axe.run(document.querySelector('#storybook-docs'));
        return violations.map((violation) => `${violation.id} (${violation.nodes.length}): ${violation.help}`);
      });
    // The examples settle after the page (a verify answers, a box resizes as its text changes): a violation
    // counts when a second audit, after the page has painted again, still finds it.
    let violations = await audit();
    if (violations.length > 0) {
      await page.evaluate(() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))));
      await page.waitForLoadState('networkidle');
      const again = new Set((await audit()).map((violation) => violation.split(' ')[0]));
      violations = violations.filter((violation) => again.has(violation.split(' ')[0]));
    }
    for (const violation of violations) problems.push(`${where} fails axe: ${violation}`);
  }
  return problems;
}

/**
 * Opens the manager (it must land on Quick start, with no onboarding checklist), then every entry of the
 * index on its own preview page, and returns every problem seen and the number of entries opened.
 */
async function visitEverything(origin, { skip = [] } = {}) {
  const index = await (await fetch(`${origin}/index.json`)).json();
  const entries = Object.values(index.entries).filter((entry) => !skip.some((prefix) => entry.id.startsWith(prefix)));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const problems = [];
  const where = { current: 'the manager' };
  try {
    const page = await browser.newPage();
    watch(page, problems, where);
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    await inPreview(page).getByRole('heading', { name: 'Quick start' }).waitFor({ timeout: 60_000 });
    if (!new URL(page.url()).searchParams.get('path')?.includes('docs-quick-start'))
      problems.push(`the manager opens on ${page.url()}, not on Quick start`);
    if ((await page.getByText(/onboarding|get started/i).count()) > 0)
      problems.push('the manager shows an onboarding checklist');

    for (const entry of entries) {
      where.current = `${entry.type} ${entry.id}`;
      const started = Date.now();
      try {
        problems.push(...(await openEntry(page, origin, entry, where.current)));
      } catch (error) {
        // Vite may reload the page once when it optimises a dependency it had not met: open it again.
        // (On a busy machine that reload can also hold the first navigation past its timeout.)
        if (!/interrupted by another navigation|context was destroyed|Timeout/.test(String(error))) throw error;
        if (process.env.SMOKE_VERBOSE) console.log(`${where.current}: opened again after ${error}`);
        problems.push(...(await openEntry(page, origin, entry, where.current)));
      }
      if (process.env.SMOKE_VERBOSE) console.log(`${where.current}: ${Date.now() - started} ms`);
    }
  } finally {
    await browser.close();
  }
  return { problems, opened: entries.length };
}

async function checkDevServer() {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`Storybook did not answer on ${base} within 90 s:\n${output}`);
    try {
      if ((await fetch(`${base}/iframe.html`)).ok) break;
    } catch {}
    await new Promise((wait) => setTimeout(wait, 300));
  }
  const result = await visitEverything(base);
  if (process.env.SMOKE_VERBOSE) console.log(output);
  // Warnings our configuration causes (extensionless imports, Vite's config loader) are problems too.
  for (const line of output.split('\n')) {
    if (/extensionless import|configLoader/i.test(line)) result.problems.push(`pnpm start warns: ${line.trim()}`);
  }
  return result;
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
    return await visitEverything(origin, { skip: NEEDS_DEV_SERVER });
  } finally {
    server.close();
  }
}

let failed = false;
try {
  const dev = await checkDevServer();
  stop();
  const built = await checkStaticBuild();
  const problems = [...dev.problems, ...built.problems];
  if (problems.length > 0) {
    failed = true;
    console.error(`Storybook smoke check failed:\n  ${problems.join('\n  ')}`);
  } else {
    console.log(
      `Storybook smoke check: the dev server (with the emulator, ${dev.opened} entries) and the static build ` +
        `(${built.opened} entries; those that need the dev server's routes left out) open in Chromium on Quick ` +
        'start, every story and docs entry with no console error, no failure text it is not about and nothing ' +
        'beyond 127.0.0.1; the static build holds no server code and no secret.',
    );
  }
} catch (error) {
  failed = true;
  console.error(`Storybook smoke check failed: ${error instanceof Error ? error.message : error}`);
} finally {
  stop();
}
process.exit(failed ? 1 : 0);
