import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BillingKeyIssuance } from '@portone-kit/sandbox/server';
import { type Browser, type BrowserContext, chromium, devices, type Page } from 'playwright';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.mjs';
import type { SandboxOutcome } from '../src/client/sandbox-settings.js';
import { type RunningShop, startShop } from '../src/server/app.js';

// The end-to-end harness: one Chromium, one shop on the sandbox (free ports, a fresh SQLite file), a gate
// that can hold the sandbox's webhooks, and a tiny runner that prints `N passed, N failed`.

export const SHOP_ROOT = join(import.meta.dirname, '..', '..');
export const OUTPUT_DIR = join(SHOP_ROOT, 'test-results');
const TEST_TIMEOUT_MS = 30_000;
/** 2026-06-10 10:00 in Seoul: a day every month has, so the monthly rule's dates are plain. */
export const CLOCK_START_MS = Date.UTC(2026, 5, 10, 1, 0, 0);

/** Holds the sandbox's webhooks on their way to the shop when a test needs the browser to come first. */
export interface WebhookGate {
  url: string;
  hold(): void;
  /** Lets held webhooks through (and later ones straight away); resolves when the shop answered them. */
  release(): Promise<void>;
  /** What the shop answered each forwarded webhook, by merchant_uid. */
  answered: { merchantUid: string; status: number }[];
}

async function startWebhookGate(target: () => string): Promise<WebhookGate & { server: Server }> {
  let holding = false;
  let held: { body: string; type: string; reply: (status: number) => void }[] = [];
  const answered: WebhookGate['answered'] = [];
  const forward = async (body: string, type: string) => {
    const response = await fetch(target(), { method: 'POST', headers: { 'content-type': type }, body });
    const merchantUid = (JSON.parse(body) as { merchant_uid?: string }).merchant_uid ?? '';
    answered.push({ merchantUid, status: response.status });
    return response.status;
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const type = request.headers['content-type'] ?? 'application/json';
      const reply = (status: number) => response.writeHead(status).end();
      if (holding) held.push({ body, type, reply });
      else forward(body, type).then(reply, () => reply(502));
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}/webhook`,
    answered,
    hold() {
      holding = true;
    },
    async release() {
      holding = false;
      const waiting = held;
      held = [];
      await Promise.all(waiting.map(({ body, type, reply }) => forward(body, type).then(reply, () => reply(502))));
    },
  };
}

export type Viewport = 'desktop' | 'mobile';

/**
 * What issuing a billing key does on the test's sandbox: charges the window's amount (PortOne's Korean
 * guides, the default) or charges nothing (KG Mobilians' English guide). Each has its own shop.
 */
export type Issuance = BillingKeyIssuance;

export interface TestContext {
  shop: RunningShop;
  gate: WebhookGate;
  issuance: Issuance;
  /** A fresh browser context and page: desktop, or a mobile phone's user agent and screen. */
  openPage(viewport: Viewport, options?: { outcome?: SandboxOutcome }): Promise<Page>;
}

export interface TestCase {
  name: string;
  issuance: Issuance;
  run(context: TestContext): Promise<void>;
}

const tests: TestCase[] = [];

/** Registers a test; it runs on the shop whose sandbox issues billing keys as `options.issuance` says. */
export function test(name: string, run: TestCase['run'], options: { issuance?: Issuance } = {}) {
  tests.push({ name, run, issuance: options.issuance ?? 'charges' });
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe on the page as it is; fails on any serious or critical violation. */
export async function checkAccessibility(page: Page, label: string) {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document);
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes }));
  });
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  if (serious.length > 0) {
    const lines = serious.map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')})`,
    );
    throw new Error(`axe on ${label}:\n  ${lines.join('\n  ')}`);
  }
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(OUTPUT_DIR, 'screenshots', `${name}.png`), fullPage: true });
}

/** Runs every registered test in order; prints one line per test and the closing count. */
export async function runAll(): Promise<number> {
  const started = Date.now();
  rmSync(OUTPUT_DIR, { recursive: true, force: true });
  mkdirSync(join(OUTPUT_DIR, 'screenshots'), { recursive: true });

  // One shop (with its sandbox, SQLite file and webhook gate) per issuance behaviour, started when a test
  // first needs it.
  const shopLog: string[] = [];
  const shops = new Map<Issuance, { shop: RunningShop; gate: WebhookGate & { server: Server } }>();
  async function shopFor(issuance: Issuance) {
    const running = shops.get(issuance);
    if (running) return running;
    let shopUrl = '';
    const gate = await startWebhookGate(() => `${shopUrl}/api/portone/webhook`);
    const shop = await startShop({
      databaseFile: join(OUTPUT_DIR, issuance === 'charges' ? 'e2e.sqlite' : `e2e-${issuance}.sqlite`),
      clientDir: join(SHOP_ROOT, 'dist', 'client'),
      sandbox: { clockStartMs: CLOCK_START_MS, webhookUrl: gate.url, billingKeyIssuance: issuance },
      log: (line) => shopLog.push(`[${issuance}] ${line}`),
    });
    shopUrl = shop.url;
    const started = { shop, gate };
    shops.set(issuance, started);
    return started;
  }
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

  let passed = 0;
  let failed = 0;
  // `E2E_ONLY=<regular expression>` runs the tests whose names match it, for working on a few.
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
  for (const entry of tests.filter((candidate) => only === null || only.test(candidate.name))) {
    const { shop, gate } = await shopFor(entry.issuance);
    const contexts: BrowserContext[] = [];
    const pageErrors: string[] = [];
    const consoleLines: string[] = [];
    const offMachine: string[] = [];
    const context: TestContext = {
      shop,
      gate,
      issuance: entry.issuance,
      async openPage(viewport, options = {}) {
        const phone = devices['Pixel 7'];
        const browserContext = await browser.newContext(
          viewport === 'mobile'
            ? {
                userAgent: phone?.userAgent,
                viewport: phone?.viewport ?? { width: 412, height: 839 },
                deviceScaleFactor: 1,
                isMobile: true,
                hasTouch: true,
                locale: 'ko-KR',
              }
            : { viewport: { width: 1280, height: 900 }, locale: 'ko-KR' },
        );
        contexts.push(browserContext);
        // Nothing may leave this machine.
        await browserContext.route(/^(?!https?:\/\/(127\.0\.0\.1|localhost)[:/])/, (route) => {
          offMachine.push(route.request().url());
          return route.abort();
        });
        const outcome = options.outcome ?? 'window';
        await browserContext.addInitScript((value) => {
          localStorage.setItem('shop:sandbox-outcome', value);
        }, outcome);
        const page = await browserContext.newPage();
        page.setDefaultTimeout(10_000);
        page.on('pageerror', (error) => pageErrors.push(error.message));
        page.on('console', (message) => consoleLines.push(`${viewport} ${message.type()}: ${message.text()}`));
        return page;
      },
    };
    const testStarted = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        entry.run(context),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS} ms`)), TEST_TIMEOUT_MS);
        }),
      ]);
      if (pageErrors.length > 0) throw new Error(`uncaught errors in the page: ${pageErrors.join('; ')}`);
      if (offMachine.length > 0) throw new Error(`requests beyond this machine: ${offMachine.join(', ')}`);
      passed++;
      console.log(`✔ ${entry.name} (${Date.now() - testStarted} ms)`);
    } catch (error) {
      failed++;
      console.log(`✘ ${entry.name} (${Date.now() - testStarted} ms)`);
      console.log(
        `    ${error instanceof Error ? (error.stack ?? error.message).split('\n').join('\n    ') : String(error)}`,
      );
      if (consoleLines.length > 0) console.log(`    browser console:\n      ${consoleLines.join('\n      ')}`);
      const last = contexts.at(-1)?.pages().at(-1);
      if (last) await screenshot(last, `FAILED ${entry.name.replace(/[^\w가-힣-]+/g, '_')}`).catch(() => undefined);
    } finally {
      clearTimeout(timer);
      await gate.release();
      for (const browserContext of contexts) await browserContext.close().catch(() => undefined);
    }
  }

  await browser.close();
  for (const { shop, gate } of shops.values()) {
    await shop.sandbox?.webhooks.settled();
    await shop.close();
    gate.server.close();
  }
  if (failed > 0 && shopLog.length > 0) console.log(`shop log:\n  ${shopLog.join('\n  ')}`);
  console.log(`screenshots in ${join(OUTPUT_DIR, 'screenshots')}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}
