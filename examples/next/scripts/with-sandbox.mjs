#!/usr/bin/env node
// `pnpm dev` and `pnpm start`: Next.js on 127.0.0.1, on the kit's offline PortOne sandbox unless real
// PortOne's credentials are in the environment. The sandbox's key and secret go to the Next server's
// environment only (no NEXT_PUBLIC_ prefix: never in a page).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const mode = process.argv[2];
if (mode !== 'dev' && mode !== 'start') {
  console.error('usage: node scripts/with-sandbox.mjs dev|start');
  process.exit(2);
}
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 4400);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

let sandbox = null;
if (!process.env.PORTONE_IMP_KEY) {
  const { startSandbox } = await import('@portone-kit/sandbox/server').catch((error) => {
    console.error('The kit is not built: run `pnpm build` at the repository root first.');
    throw error;
  });
  sandbox = await startSandbox({
    port: Number(process.env.SANDBOX_PORT ?? 0),
    webhookUrl: `http://${host}:${port}/api/portone/webhook`,
  });
  Object.assign(env, {
    PORTONE_SANDBOX: 'true',
    PORTONE_MERCHANT_CODE: 'imp00000000',
    PORTONE_IMP_KEY: sandbox.impKey,
    PORTONE_IMP_SECRET: sandbox.impSecret,
    PORTONE_API_URL: sandbox.url,
    PORTONE_SDK_SRC: `${sandbox.url}/v1/iamport.js`,
  });
  console.log(`PortOne sandbox (offline emulator) on ${sandbox.url}`);
}

const next = createRequire(import.meta.url).resolve('next/dist/bin/next');
const child = spawn(process.execPath, [next, mode, '--hostname', host, '--port', String(port)], {
  stdio: 'inherit',
  env,
});
const stop = (signal) => child.kill(signal);
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
child.once('exit', async (code, signal) => {
  await sandbox?.close();
  process.exit(code ?? (signal ? 1 : 0));
});
