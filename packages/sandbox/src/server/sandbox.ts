/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClock, type SandboxClock } from './clock.js';
import { createFaults, type SandboxFaults } from './faults.js';
import { createHandler, type SandboxLogger, type SandboxRequest } from './handler.js';
import { paymentRoutes } from './payment-routes.js';
import { type BillingKeyIssuance, type Engine, type Route, routeKey } from './routes.js';
import { SandboxState, type SandboxStore } from './store.js';
import { runDueSchedules, subscribeRoutes } from './subscribe-routes.js';
import { TokenIssuer } from './tokens.js';
import type { SandboxSchedule } from './types.js';
import { type WaitingRequest, WaitingRoom } from './waiting.js';
import { createWebhookSender, type SandboxWebhooks, type WebhookFormat } from './webhooks.js';
import { windowRoutes } from './window-routes.js';

export type { SandboxLogger, SandboxRequest } from './handler.js';
export type { BillingKeyIssuance } from './routes.js';

/** What {@link startSandbox} takes; each option has a default. */
export interface StartSandboxOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Default `'sandbox_key'`. */
  impKey?: string;
  /** Default `'sandbox_secret'`. */
  impSecret?: string;
  /** Default: a {@link createClock} on real time. */
  clock?: SandboxClock;
  /** The console's webhook URL, for payments without `notice_url`. Only 127.0.0.1 and localhost receive. */
  webhookUrl?: string;
  /** How webhooks are posted: `'json'` (default) or `'form'`, the two formats PortOne's console offers. */
  webhookFormat?: WebhookFormat;
  /**
   * JavaScript served at `GET /v1/iamport.js`. Default: the package's built fake SDK (`dist/sandbox-sdk.js`),
   * or a one-line comment when the package has not been built.
   */
  sdkScript?: string;
  /** Where the sandbox reports its own bugs (each also answered 500). Default: `console.error`. */
  logger?: SandboxLogger;
  /**
   * What issuing a billing key in the window does with the request's `amount`. `'charges'` (the default,
   * as PortOne's Korean guides say): the issuing payment is paid for that amount, with a webhook, and it is
   * the key's first charge under the monthly rule. `'charges-nothing'` (as KG Mobilians' English guide
   * says): the key is issued, the issuing payment is recorded as a paid payment of 0 (usage `issue`, no
   * webhook), and the key's first charge is the first one made with it.
   */
  billingKeyIssuance?: BillingKeyIssuance;
}

/**
 * A running sandbox, as {@link startSandbox} resolves it: its address and key pair, its records, clock,
 * faults and webhooks, and every request it answered. `close()` it when done.
 */
export interface Sandbox {
  /** e.g. `http://127.0.0.1:40123`, without a trailing slash. */
  readonly url: string;
  readonly impKey: string;
  readonly impSecret: string;
  readonly store: SandboxStore;
  readonly clock: SandboxClock;
  readonly faults: SandboxFaults;
  readonly webhooks: SandboxWebhooks;
  /** What issuing a billing key does with its amount, as started: see {@link StartSandboxOptions.billingKeyIssuance}. */
  readonly billingKeyIssuance: BillingKeyIssuance;
  /** Every request, in the order answered. */
  readonly requests: readonly SandboxRequest[];
  /** How many requests `route` (as in {@link SandboxRequest.route}) has had. */
  countRequests(route: string): number;
  /** Runs the schedules due on the sandbox clock now; returns the ones it ran. */
  runDueSchedules(): SandboxSchedule[];
  /** Every access token stops working: the next API call answers 401 until a new token is asked for. */
  expireTokensNow(): void;
  /**
   * The requests held back now, oldest first: by a `latencyMs` not yet reached on the sandbox clock, a
   * `hold`, or a `statusThenCommit` whose late work is still to come.
   */
  readonly waiting: readonly WaitingRequest[];
  /**
   * The first request held back on `route` (any route when left out), now or as soon as one is: a test
   * awaits it to know the request has arrived, then moves the clock, or calls `release()` or `drop()`.
   * Rejects when `signal` aborts.
   */
  nextWaiting(route?: string, options?: { signal?: AbortSignal }): Promise<WaitingRequest>;
  /** Stops listening, ends open sockets and in-flight webhooks. */
  close(): Promise<void>;
}

const NO_SDK_SCRIPT = '/* @portone-kit/sandbox: no SDK script built (run the package build, or pass sdkScript) */\n';

/** The fake SDK the package build makes: beside this module in dist/, or in dist/ when run from source. */
function builtSdkScript(): string {
  for (const candidate of ['./sandbox-sdk.js', '../../dist/sandbox-sdk.js']) {
    try {
      return readFileSync(new URL(candidate, import.meta.url), 'utf8');
    } catch {}
  }
  return NO_SDK_SCRIPT;
}
// Real-time clocks never call their listeners, so due schedules are also looked for this often.
const SCHEDULE_POLL_MS = 1000;

const ROUTES: readonly Route[] = [...paymentRoutes, ...subscribeRoutes, ...windowRoutes];

/**
 * Starts PortOne's V1 REST API twin on 127.0.0.1, with the endpoints of the browser's fake window. Every
 * payment it makes is a test-channel payment (`sandbox: true`). The entry `server.ts` lists the choices
 * it makes where PortOne's behaviour is not documented.
 */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? createClock();
  const webhooks = createWebhookSender({
    consoleUrl: options.webhookUrl ?? null,
    format: options.webhookFormat ?? 'json',
  });
  const engine: Engine = {
    state: new SandboxState(),
    clock,
    tokens: new TokenIssuer(clock),
    webhooks,
    impKey: options.impKey ?? 'sandbox_key',
    impSecret: options.impSecret ?? 'sandbox_secret',
    sdkScript: options.sdkScript ?? builtSdkScript(),
    billingKeyIssuance: options.billingKeyIssuance ?? 'charges',
  };
  if (engine.billingKeyIssuance !== 'charges' && engine.billingKeyIssuance !== 'charges-nothing') {
    throw new TypeError(
      `billingKeyIssuance must be 'charges' or 'charges-nothing', got ${JSON.stringify(engine.billingKeyIssuance)}`,
    );
  }
  const faults = createFaults(ROUTES.map(routeKey));
  const requests: SandboxRequest[] = [];
  const closing = new AbortController();
  const waiting = new WaitingRoom(clock, closing.signal);
  const logger: SandboxLogger = options.logger ?? { error: (message, error) => console.error(message, error) };
  const server = createServer(createHandler({ engine, routes: ROUTES, faults, waiting, requests, logger }));
  // Garbage that is not HTTP gets a 400 and a closed socket, never a crash.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', failed);
      listening();
    });
  });
  const { port } = server.address() as AddressInfo;

  const runDue = () => runDueSchedules(engine);
  const unsubscribe = clock.subscribe(runDue);
  // A bug while polling is logged, never thrown where nothing would catch it.
  const poll = setInterval(() => {
    try {
      runDue();
    } catch (error) {
      logger.error('@portone-kit/sandbox: internal error while running due schedules', error);
    }
  }, SCHEDULE_POLL_MS);
  poll.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    impKey: engine.impKey,
    impSecret: engine.impSecret,
    store: engine.state,
    clock,
    faults,
    webhooks,
    billingKeyIssuance: engine.billingKeyIssuance,
    requests,
    countRequests: (name) => requests.filter((entry) => entry.route === name).length,
    runDueSchedules: runDue,
    expireTokensNow: () => engine.tokens.expireAll(),
    get waiting() {
      return waiting.list();
    },
    nextWaiting: (route, waitOptions = {}) => waiting.next(route, waitOptions.signal),
    async close() {
      if (closing.signal.aborted) return;
      closing.abort();
      unsubscribe();
      clearInterval(poll);
      webhooks.stop();
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await closed;
      await webhooks.settled();
    },
  };
}
