// The main job, checked as a newcomer meets it: Storybook's dev server on 127.0.0.1, its manager page and
// a story opened in Chromium, with no console error, no page error and no request beyond this machine.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { chromium } from 'playwright';

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

let failed = false;
try {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`Storybook did not answer on ${base} within 60 s:\n${output}`);
    try {
      if ((await fetch(`${base}/iframe.html`)).ok) break;
    } catch {}
    await new Promise((wait) => setTimeout(wait, 300));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
  const problems = [];
  const page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    const { hostname } = new URL(request.url());
    if (request.url().startsWith('http') && hostname !== '127.0.0.1' && hostname !== 'localhost') {
      problems.push(`request beyond this machine: ${request.url()}`);
    }
  });
  await page.goto(`${base}/?path=/story/components-mobilianspaybutton--paid-and-verified`, { waitUntil: 'load' });
  const preview = page.frameLocator('#storybook-preview-iframe');
  await preview.getByRole('button', { name: '결제하기' }).waitFor({ timeout: 30_000 });
  await page.getByText('Components', { exact: false }).first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1000);
  await browser.close();
  if (problems.length > 0) {
    failed = true;
    console.error(`Storybook smoke check failed:\n  ${problems.join('\n  ')}`);
  } else {
    console.log(`Storybook smoke check: ${base} served the manager and a story, with no console error.`);
  }
} catch (error) {
  failed = true;
  console.error(`Storybook smoke check failed: ${error instanceof Error ? error.message : error}`);
} finally {
  stop();
}
process.exit(failed ? 1 : 0);
