#!/usr/bin/env node
/// <reference types="node" />
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Sandbox, startSandbox } from './server/sandbox.js';

export const USAGE = `Usage: portone-sandbox [options]

PortOne's V1 REST API twin for KG Mobilians payments, on 127.0.0.1.

Options:
  --port <n>                 port on 127.0.0.1 (default 4100; 0 picks a free one)
  --imp-key <key>            REST API key (default sandbox_key)
  --imp-secret <secret>      REST API secret (default sandbox_secret)
  --webhook-url <url>        console webhook URL, on 127.0.0.1 or localhost
  --webhook-format <format>  json (default) or form
  --billing-key-issuance <b> charges (default): issuing a billing key charges the window's amount;
                             charges-nothing: it charges nothing, the first charge comes later
  -h, --help                 print this help`;

export interface CliOptions {
  /** Called once the sandbox listens. */
  onListening?: (sandbox: Sandbox) => void;
  /** Stops the sandbox when aborted, as SIGINT and SIGTERM do. */
  signal?: AbortSignal;
  /** Where normal output goes. Default `console.log`. */
  print?: (text: string) => void;
  /** Where errors go. Default `console.error`. */
  printError?: (text: string) => void;
}

/**
 * The `portone-sandbox` command: starts the sandbox, prints its URL and credentials and runs until
 * SIGINT, SIGTERM or `options.signal`. Resolves the exit code: 0 after a clean stop or `--help`, 1 when
 * the sandbox cannot start, 2 for bad arguments.
 */
export async function runCli(argv: readonly string[], options: CliOptions = {}): Promise<number> {
  const print = options.print ?? console.log;
  const printError = options.printError ?? console.error;
  let values: ReturnType<typeof parse>['values'];
  try {
    // `pnpm sandbox -- --port 4100` passes the `--` on: it ends nothing here.
    ({ values } = parse(argv.filter((argument) => argument !== '--')));
  } catch (error) {
    printError(`portone-sandbox: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    print(USAGE);
    return 0;
  }
  const port = Number(values.port ?? '4100');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    printError(`portone-sandbox: --port must be a whole number from 0 to 65535, got "${values.port}"`);
    return 2;
  }
  const format = values['webhook-format'] ?? 'json';
  if (format !== 'json' && format !== 'form') {
    printError(`portone-sandbox: --webhook-format must be json or form, got "${format}"`);
    return 2;
  }

  const issuance = values['billing-key-issuance'] ?? 'charges';
  if (issuance !== 'charges' && issuance !== 'charges-nothing') {
    printError(`portone-sandbox: --billing-key-issuance must be charges or charges-nothing, got "${issuance}"`);
    return 2;
  }

  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({
      port,
      webhookFormat: format,
      billingKeyIssuance: issuance,
      ...(values['imp-key'] === undefined ? {} : { impKey: values['imp-key'] }),
      ...(values['imp-secret'] === undefined ? {} : { impSecret: values['imp-secret'] }),
      ...(values['webhook-url'] === undefined ? {} : { webhookUrl: values['webhook-url'] }),
    });
  } catch (error) {
    printError(`portone-sandbox: could not start: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  // Listen for the stop before anyone can ask for it.
  const stopped = new Promise<void>((stop) => {
    const onStop = () => {
      process.off('SIGINT', onStop);
      process.off('SIGTERM', onStop);
      options.signal?.removeEventListener('abort', onStop);
      stop();
    };
    process.on('SIGINT', onStop);
    process.on('SIGTERM', onStop);
    if (options.signal?.aborted) onStop();
    else options.signal?.addEventListener('abort', onStop, { once: true });
  });
  print(
    [
      `PortOne V1 sandbox listening on ${sandbox.url}`,
      `  imp_key:    ${sandbox.impKey}`,
      `  imp_secret: ${sandbox.impSecret}`,
      `  SDK script: ${sandbox.url}/v1/iamport.js`,
      ...(values['webhook-url'] ? [`  webhooks:   ${values['webhook-url']} (${format})`] : []),
      `  billing key: issuing one charges ${issuance === 'charges' ? "the window's amount" : 'nothing'}`,
      'Stop with Ctrl+C.',
    ].join('\n'),
  );
  options.onListening?.(sandbox);

  await stopped;
  await sandbox.close();
  print('portone-sandbox: stopped');
  return 0;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      'imp-key': { type: 'string' },
      'imp-secret': { type: 'string' },
      'webhook-url': { type: 'string' },
      'webhook-format': { type: 'string' },
      'billing-key-issuance': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** True when node runs this file itself (through the bin link too), not when a test imports it. */
function isMain(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
