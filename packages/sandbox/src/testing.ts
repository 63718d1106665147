/// <reference types="node" />
// `@portone-kit/sandbox/testing`: what a test suite on the emulator needs beside `startSandbox`, for this
// repository's tests and for a merchant's own. Node only, like `/server`.
import type { Envelope } from '@portone-kit/core/rest';
import type { SandboxFault } from './server/faults.js';
import type { Sandbox } from './server/sandbox.js';
import type { WindowOutcome } from './window-answers.js';

/** The part of a running sandbox these helpers talk to. */
export type SandboxAddress = Pick<Sandbox, 'url' | 'impKey' | 'impSecret'>;

/** What {@link callApi} got back: the HTTP status and PortOne's envelope. */
export interface ApiAnswer<T> {
  status: number;
  envelope: Envelope<T>;
}

/** How {@link callApi} sends a call: a body (`json` wins over `form`), the token, more headers, a signal. */
export interface CallOptions {
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`, as written. */
  form?: string;
  /** Default: a fresh token from getToken; null sends none. */
  token?: string | null;
  headers?: Record<string, string>;
  /** Bounds the call, e.g. `AbortSignal.timeout(1000)`, so that a hang fails the test instead of stalling it. */
  signal?: AbortSignal;
}

/** An access token for the sandbox's REST API, as a merchant's server gets one. */
export async function getToken(sandbox: SandboxAddress, signal?: AbortSignal): Promise<string> {
  const answer = await fetch(`${sandbox.url}/users/getToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ imp_key: sandbox.impKey, imp_secret: sandbox.impSecret }),
    ...(signal ? { signal } : {}),
  });
  const envelope = (await answer.json()) as Envelope<{ access_token: string }>;
  if (!envelope.response) throw new Error(`getToken failed: ${answer.status} ${envelope.message}`);
  return envelope.response.access_token;
}

/** Calls the sandbox's REST API as a server would, with `Authorization: Bearer`. */
export async function callApi<T>(
  sandbox: SandboxAddress,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiAnswer<T>> {
  const token = options.token === undefined ? await getToken(sandbox, options.signal) : options.token;
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = options.form;
  }
  const answer = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { ...headers, ...options.headers },
    ...(body === undefined ? {} : { body }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { status: answer.status, envelope: (await answer.json()) as Envelope<T> };
}

/** What the browser's fake window posts when the buyer is done. */
export interface WindowPayRequest {
  /** The `request_pay` params: `merchant_uid`, `amount` and `pay_method` at least. */
  params: Record<string, unknown>;
  /** Default `'approve'`. */
  outcome?: WindowOutcome;
  /** For a decline: its code and message (default F0004). */
  error_code?: string;
  error_msg?: string;
  /** Default `'pc'`. */
  channel?: 'pc' | 'mobile';
}

/** The object the SDK would give the `request_pay` callback. */
export type WindowCallback = Record<string, unknown> & { imp_uid: string | null; success: boolean };

/** Pays (or declines, or cancels) in the emulator's window without a browser; the callback object. */
export async function windowPay(sandbox: Pick<Sandbox, 'url'>, request: WindowPayRequest): Promise<WindowCallback> {
  const answer = await fetch(`${sandbox.url}/sandbox/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outcome: 'approve', ...request }),
  });
  if (answer.status !== 200) throw new Error(`the window post failed: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { response: WindowCallback }).response;
}

// The Vitest config and a globalSetup load this module apart (even as two copies, built and source), so
// the sandbox the commands use is kept on a global both see.
const SHARED = Symbol.for('@portone-kit/sandbox/testing: browser-commands sandbox');
type SharedSlot = { [SHARED]?: Sandbox | null };

/** The sandbox the browser commands act on (set it from a Vitest globalSetup); null when it stops. */
export function useSandboxForBrowserCommands(sandbox: Sandbox | null): void {
  (globalThis as SharedSlot)[SHARED] = sandbox;
}

function sharedSandbox(): Sandbox {
  const sandbox = (globalThis as SharedSlot)[SHARED];
  if (!sandbox)
    throw new Error('no sandbox for the browser commands: call useSandboxForBrowserCommands in a globalSetup');
  return sandbox;
}

/**
 * Vitest browser-mode commands (`test.browser.commands`), run in Node for a test in the page:
 * `commands.sandboxRest(method, path)` calls the REST API with a token, as the merchant's server would;
 * `commands.sandboxFault(route, fault)` sets a fault; `commands.sandboxFault(null)` clears them all and drops
 * every request still held (by `hold` or a `latencyMs` not yet reached), so that none outlives its test.
 * Declare their types for the page with `declare module 'vitest/browser'` (see the package README).
 */
export const emulatorCommands = {
  async sandboxRest(_context: unknown, method: 'GET' | 'POST', path: string) {
    const answer = await callApi<unknown>(sharedSandbox(), method, path);
    return { status: answer.status, body: answer.envelope as unknown };
  },
  async sandboxFault(_context: unknown, route: string | null, fault?: SandboxFault) {
    const sandbox = sharedSandbox();
    if (route !== null && fault) return sandbox.faults.set(route, fault);
    sandbox.faults.clear();
    for (const waiting of sandbox.waiting) waiting.drop();
  },
};

/**
 * The commands as Vitest runs them, each with Vitest's context first; {@link SandboxPageCommands} is how a
 * test in the page calls them.
 */
export type EmulatorCommands = typeof emulatorCommands;

/**
 * The commands as a test in the page calls them (without Vitest's context), for
 * `declare module 'vitest/browser' { interface BrowserCommands extends SandboxPageCommands {} }`.
 */
export type SandboxPageCommands = {
  [K in keyof EmulatorCommands]: EmulatorCommands[K] extends (context: unknown, ...args: infer A) => infer R
    ? (...args: A) => R
    : never;
};
