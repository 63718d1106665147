/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClock, type SandboxClock } from './clock.js';
import { createFaults, type SandboxFaults } from './faults.js';
import { Input, InputError, parseBody, readBody } from './input.js';
import { paymentRoutes } from './payment-routes.js';
import { CORS_HEADERS, httpError, jsonReply, type Reply } from './reply.js';
import { type Engine, matchRoute, type Route, type RouteKind, routeKey } from './routes.js';
import { SandboxState, type SandboxStore } from './store.js';
import { runDueSchedules, subscribeRoutes } from './subscribe-routes.js';
import { TokenIssuer } from './tokens.js';
import type { SandboxSchedule } from './types.js';
import { createWebhookSender, type SandboxWebhooks, type WebhookFormat } from './webhooks.js';
import { windowRoutes } from './window-routes.js';

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
}

/** One request the sandbox answered (or dropped). */
export interface SandboxRequest {
  method: string;
  /** The route as faults name it, e.g. `'GET /payments/:imp_uid'`; null when no route matched. */
  route: string | null;
  path: string;
  /** The HTTP status answered; null when the socket was dropped. */
  status: number | null;
}

export interface Sandbox {
  /** e.g. `http://127.0.0.1:40123`, without a trailing slash. */
  readonly url: string;
  readonly impKey: string;
  readonly impSecret: string;
  readonly store: SandboxStore;
  readonly clock: SandboxClock;
  readonly faults: SandboxFaults;
  readonly webhooks: SandboxWebhooks;
  /** Every request, in the order answered. */
  readonly requests: readonly SandboxRequest[];
  /** How many requests `route` (as in {@link SandboxRequest.route}) has had. */
  countRequests(route: string): number;
  /** Runs the schedules due on the sandbox clock now; returns the ones it ran. */
  runDueSchedules(): SandboxSchedule[];
  /** Every access token stops working: the next API call answers 401 until a new token is asked for. */
  expireTokensNow(): void;
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

/** An error in the shape the route's callers read: the envelope for the API, `{ error }` for the window. */
function errorReply(kind: RouteKind | null, status: number, message: string): Reply {
  if (kind === 'window') return jsonReply(status, { error: message }, CORS_HEADERS);
  return httpError(status, message);
}

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
  };
  const faults = createFaults(ROUTES.map(routeKey));
  const requests: SandboxRequest[] = [];
  const closing = new AbortController();

  // A latency fault ends early when the sandbox closes.
  const pause = (ms: number) =>
    new Promise<void>((resume) => {
      const done = () => {
        clearTimeout(timer);
        closing.signal.removeEventListener('abort', done);
        resume();
      };
      const timer = setTimeout(done, ms);
      closing.signal.addEventListener('abort', done, { once: true });
    });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const method = request.method ?? 'GET';
    // Only the path and query count; an odd request target is read as a path, never as a host.
    const url = new URL(`http://127.0.0.1/${(request.url ?? '/').replace(/^\/+/, '')}`);
    let route: Route | null = null;
    const record = (status: number | null) =>
      requests.push({ method, route: route && routeKey(route), path: url.pathname, status });
    const send = (reply: Reply) => {
      record(reply.status);
      if (response.destroyed || response.writableEnded) return;
      response.writeHead(reply.status, reply.headers).end(reply.body);
    };

    let reply: Reply;
    try {
      const match = matchRoute(ROUTES, method, url.pathname);
      route = match?.route ?? null;
      const raw = await readBody(request);
      const fault = faults.take(route && routeKey(route));
      if (fault?.latencyMs) await pause(fault.latencyMs);
      if (closing.signal.aborted) {
        request.socket.destroy();
        return;
      }
      if (fault?.status) {
        send(errorReply(route?.kind ?? null, fault.status, 'sandbox: injected fault'));
        return;
      }
      if (match === null) {
        send(httpError(404, `the sandbox has no route ${method} ${url.pathname}`));
        return;
      }
      const { route: matched, params } = match;
      const work = (): Reply => {
        if (matched.auth && !engine.tokens.accepts(request.headers)) {
          return httpError(401, '인증 Token이 전달되지 않았거나 유효하지 않습니다.');
        }
        const input = method === 'GET' ? new Input({}, false) : parseBody(raw, request.headers['content-type']);
        return matched.handle({ engine, params, query: url.searchParams, input });
      };
      if (fault?.statusThenCommit) {
        send(errorReply(matched.kind, fault.statusThenCommit, 'sandbox: injected fault'));
        await pause(fault.commitAfterMs ?? 0);
        if (closing.signal.aborted) return;
        // The answer is given: what the late work says (a refusal included) reaches no one.
        try {
          work();
        } catch (error) {
          if (!(error instanceof InputError)) console.error('@portone-kit/sandbox:', error);
        }
        return;
      }
      reply = work();
      // The work is done and stays done: these faults only spoil the answer.
      if (fault?.dropAfterCommit) {
        record(null);
        request.socket.destroy();
        return;
      }
      if (fault?.statusAfterCommit)
        reply = errorReply(matched.kind, fault.statusAfterCommit, 'sandbox: injected fault');
    } catch (error) {
      if (request.destroyed && !(error instanceof InputError)) return;
      reply =
        error instanceof InputError
          ? errorReply(route?.kind ?? null, error.status, error.message)
          : errorReply(route?.kind ?? null, 500, 'sandbox: internal error');
      if (!(error instanceof InputError)) console.error('@portone-kit/sandbox:', error);
    }
    send(reply);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('@portone-kit/sandbox:', error);
      request.socket.destroy();
    });
  });
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
  const poll = setInterval(runDue, SCHEDULE_POLL_MS);
  poll.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    impKey: engine.impKey,
    impSecret: engine.impSecret,
    store: engine.state,
    clock,
    faults,
    webhooks,
    requests,
    countRequests: (name) => requests.filter((entry) => entry.route === name).length,
    runDueSchedules: runDue,
    expireTokensNow: () => engine.tokens.expireAll(),
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
