// The end-to-end harness: the sandbox in this process, `next start` (the production build) on free ports
// with a fresh SQLite file, one Debian Chromium, and a small runner that prints `N passed, N failed`.
// Every page must load without an uncaught error, a console error or warning (hydration included), or a
// request beyond this machine.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startSandbox } from '@portone-kit/sandbox/server';
import Database from 'better-sqlite3';
import { chromium, devices } from 'playwright';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.mjs';

export const APP_ROOT = join(import.meta.dirname, '..');
export const OUTPUT_DIR = join(APP_ROOT, 'test-results');
/** Limits for a busy machine (two cores shared with other builds): waits end on events, well before these. */
const TEST_TIMEOUT_MS = 60_000;
const PAGE_TIMEOUT_MS = 20_000;
const SERVER_START_MS = 60_000;

const tests = [];

/** Registers a test: `run(context)` with `{ url, sandbox, db, openPage }`. */
export function test(name, run) {
  tests.push({ name, run });
}

/** Polls `probe` until it answers something truthy: for state outside the page (the database, the sandbox). */
export async function waitFor(what, probe, timeoutMs = PAGE_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `next start` with the sandbox's settings in its environment, as `pnpm start` gives them. */
async function startNext(port, sandbox, databaseFile, log) {
  const next = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const child = spawn(process.execPath, [next, 'start', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: APP_ROOT,
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
      PORTONE_SANDBOX: 'true',
      PORTONE_MERCHANT_CODE: 'imp00000000',
      PORTONE_IMP_KEY: sandbox.impKey,
      PORTONE_IMP_SECRET: sandbox.impSecret,
      PORTONE_API_URL: sandbox.url,
      PORTONE_SDK_SRC: `${sandbox.url}/v1/iamport.js`,
      SHOP_DATABASE: databaseFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text) => log.push(...text.trimEnd().split('\n')));
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    'next start to answer',
    async () => {
      if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${log.join('\n')}`);
      return fetch(`${url}/`).then(
        (response) => response.ok,
        () => false,
      );
    },
    SERVER_START_MS,
  );
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs every registered test in order; prints one line per test and the closing count; answers the failures. */
export async function runAll() {
  const started = Date.now();
  rmSync(OUTPUT_DIR, { recursive: true, force: true });
  mkdirSync(join(OUTPUT_DIR, 'screenshots'), { recursive: true });
  const databaseFile = join(OUTPUT_DIR, 'e2e.sqlite');

  const port = await freePort();
  const sandbox = await startSandbox({ webhookUrl: `http://127.0.0.1:${port}/api/portone/webhook` });
  const serverLog = [];
  const app = await startNext(port, sandbox, databaseFile, serverLog);
  console.log(`next start ready in ${((Date.now() - started) / 1000).toFixed(1)} s on ${app.url}`);
  // The tests read what the app recorded from its SQLite file (WAL: readers never block the app). The app
  // makes the file on its first order: opened then.
  let connection = null;
  const db = {
    order: (merchantUid) => {
      connection ??= new Database(databaseFile, { readonly: true });
      return connection.prepare('SELECT * FROM orders WHERE merchant_uid = ?').get(merchantUid) ?? null;
    },
    subscription: (id) => {
      connection ??= new Database(databaseFile, { readonly: true });
      return connection.prepare('SELECT * FROM subscriptions WHERE id = ?').get(id) ?? null;
    },
    events: (merchantUid) => {
      connection ??= new Database(databaseFile, { readonly: true });
      return connection.prepare('SELECT * FROM payment_events WHERE merchant_uid = ? ORDER BY id').all(merchantUid);
    },
  };
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

  let passed = 0;
  let failed = 0;
  for (const entry of tests) {
    const contexts = [];
    const problems = [];
    const consoleLines = [];
    const context = {
      url: app.url,
      sandbox,
      db,
      async openPage(viewport = 'desktop') {
        const phone = devices['Pixel 7'];
        const browserContext = await browser.newContext(
          viewport === 'mobile'
            ? {
                userAgent: phone.userAgent,
                viewport: phone.viewport,
                deviceScaleFactor: 1,
                isMobile: true,
                hasTouch: true,
                locale: 'ko-KR',
              }
            : { viewport: { width: 1280, height: 900 }, locale: 'ko-KR' },
        );
        contexts.push(browserContext);
        await browserContext.route(/^(?!https?:\/\/(127\.0\.0\.1|localhost)[:/])/, (route) => {
          problems.push(`a request beyond this machine: ${route.request().url()}`);
          return route.abort();
        });
        const page = await browserContext.newPage();
        page.setDefaultTimeout(PAGE_TIMEOUT_MS);
        page.on('pageerror', (error) => problems.push(`uncaught in the page: ${error.message}`));
        page.on('console', (message) => {
          const line = `${viewport} ${message.type()}: ${message.text()}`;
          consoleLines.push(line);
          // A hydration mismatch is reported as a console error (or warning in development): none may appear.
          if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${line}`);
        });
        return page;
      },
    };
    const testStarted = Date.now();
    let timer;
    try {
      await Promise.race([
        entry.run(context),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS} ms`)), TEST_TIMEOUT_MS);
        }),
      ]);
      if (problems.length > 0) throw new Error(problems.join('\n'));
      passed++;
      console.log(`✔ ${entry.name} (${Date.now() - testStarted} ms)`);
    } catch (error) {
      failed++;
      console.log(`✘ ${entry.name} (${Date.now() - testStarted} ms)`);
      console.log(
        `    ${String(error?.stack ?? error)
          .split('\n')
          .join('\n    ')}`,
      );
      if (consoleLines.length > 0) console.log(`    browser console:\n      ${consoleLines.join('\n      ')}`);
      const last = contexts.at(-1)?.pages().at(-1);
      const file = join(OUTPUT_DIR, 'screenshots', `FAILED ${entry.name.replace(/[^\w가-힣-]+/g, '_')}.png`);
      if (last) await last.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    } finally {
      clearTimeout(timer);
      for (const browserContext of contexts) await browserContext.close().catch(() => undefined);
    }
  }

  await browser.close();
  await sandbox.webhooks.settled();
  await app.stop();
  await sandbox.close();
  connection?.close();
  if (failed > 0) console.log(`next start log:\n  ${serverLog.join('\n  ')}`);
  console.log(`${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return failed;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe on the page as it is; fails on any serious or critical violation. */
export async function checkAccessibility(page, label) {
  // A `router.refresh()` re-renders the server's tree, metadata included: for a moment the document may
  // have no <title>. Wait for it to come back (presence, not a sleep); if it never does, axe says so below.
  await page.waitForFunction(() => document.title !== '', null, { timeout: 5_000 }).catch(() => undefined);
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document);
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      targets: nodes.map((node) => node.target),
    }));
  });
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  if (serious.length > 0) {
    const lines = serious.map(
      (violation) => `${violation.impact} ${violation.id}: ${violation.help} (${JSON.stringify(violation.targets)})`,
    );
    throw new Error(`axe on ${label}:\n  ${lines.join('\n  ')}`);
  }
}

/** Saves a screenshot of the page under test-results/screenshots. */
export async function screenshot(page, name) {
  await page.screenshot({ path: join(OUTPUT_DIR, 'screenshots', `${name}.png`), fullPage: true });
}
