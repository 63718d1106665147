/// <reference types="node" />
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRegistry } from './faults.js';
import { Input, InputError, parseBody, readBody } from './input.js';
import { CORS_HEADERS, envelope, type Reply } from './reply.js';
import { type Engine, matchRoute, type Route, type RouteKind, routeKey } from './routes.js';
import type { WaitingRoom } from './waiting.js';

/** One request the sandbox answered (or dropped). */
export interface SandboxRequest {
  method: string;
  /** The route as faults name it, e.g. `'GET /payments/:imp_uid'`; null when no route matched. */
  route: string | null;
  path: string;
  /** The HTTP status answered; null when the socket was dropped. */
  status: number | null;
}

/** Where the sandbox reports its own bugs. Default: `console.error`. */
export interface SandboxLogger {
  error(message: string, error: unknown): void;
}

export interface HandlerParts {
  engine: Engine;
  routes: readonly Route[];
  faults: FaultRegistry;
  waiting: WaitingRoom;
  requests: SandboxRequest[];
  logger: SandboxLogger;
}

/** Every error in PortOne's envelope; the window's routes, which a page calls from another port, with CORS. */
function errorReply(kind: RouteKind | null, status: number, message: string): Reply {
  const reply = envelope(status, -1, message, null);
  return kind === 'window' ? { ...reply, headers: { ...reply.headers, ...CORS_HEADERS } } : reply;
}

const INTERNAL = 'sandbox: internal error (logged by the sandbox)';
/** Thrown when the caller went away while its body was being read: no one is left to answer. */
const GONE = Symbol('the caller went away');

/**
 * The request handler. Every request gets an answer (400 for bad input, 500 for the sandbox's own bug,
 * which is logged), unless a fault or the test drops it on purpose or the sandbox is closing.
 */
export function createHandler(parts: HandlerParts): (request: IncomingMessage, response: ServerResponse) => void {
  const { engine, faults, waiting, requests, logger } = parts;

  async function handle(request: IncomingMessage, response: ServerResponse, settled: Promise<void>) {
    const method = request.method ?? 'GET';
    // Only the path and query count; an odd request target is read as a path, never as a host.
    const url = new URL(`http://127.0.0.1/${(request.url ?? '/').replace(/^\/+/, '')}`);
    let route: Route | null = null;
    const key = () => route && routeKey(route);
    const record = (status: number | null) => requests.push({ method, route: key(), path: url.pathname, status });
    const send = (reply: Reply) => {
      record(reply.status);
      if (response.destroyed || response.headersSent) return;
      response.writeHead(reply.status, reply.headers).end(reply.body);
    };
    const drop = () => {
      record(null);
      request.socket.destroy();
    };
    const info = () => ({ method, route: key(), path: url.pathname, settled });

    let reply: Reply;
    try {
      const match = matchRoute(parts.routes, method, url.pathname);
      route = match?.route ?? null;
      const raw = await readBody(request).catch((error: unknown) => {
        throw request.socket.destroyed ? GONE : error;
      });
      const fault = faults.take(key());
      if (
        fault?.latencyMs &&
        (await waiting.wait({ ...info(), stage: 'latency' }, engine.clock.now() + fault.latencyMs)) !== 'go'
      ) {
        return drop();
      }
      if (fault?.hold && (await waiting.wait({ ...info(), stage: 'hold' }, null)) !== 'go') return drop();
      if (fault?.status) return send(errorReply(route?.kind ?? null, fault.status, 'sandbox: injected fault'));
      if (match === null) return send(errorReply(null, 404, `the sandbox has no route ${method} ${url.pathname}`));
      const { route: matched, params } = match;
      const work = (): Reply => {
        if (matched.auth && !engine.tokens.accepts(request.headers)) {
          return errorReply(matched.kind, 401, '인증 Token이 전달되지 않았거나 유효하지 않습니다.');
        }
        const input = method === 'GET' ? new Input({}, false) : parseBody(raw, request.headers['content-type']);
        return matched.handle({ engine, params, query: url.searchParams, input });
      };
      if (fault?.statusThenCommit) {
        send(errorReply(matched.kind, fault.statusThenCommit, 'sandbox: injected fault'));
        const commitAt = engine.clock.now() + (fault.commitAfterMs ?? 0);
        if ((await waiting.wait({ ...info(), stage: 'commit' }, commitAt)) !== 'go') return;
        // The answer is given: what the late work says (a refusal included) reaches no one.
        try {
          work();
        } catch (error) {
          if (!(error instanceof InputError)) logger.error('@portone-kit/sandbox: internal error', error);
        }
        return;
      }
      reply = work();
      // The work is done and stays done: these faults only spoil the answer.
      if (fault?.dropAfterCommit) return drop();
      if (fault?.statusAfterCommit)
        reply = errorReply(matched.kind, fault.statusAfterCommit, 'sandbox: injected fault');
    } catch (error) {
      if (error === GONE) return record(null);
      if (error instanceof InputError) {
        reply = errorReply(route?.kind ?? null, error.status, error.message);
      } else {
        logger.error('@portone-kit/sandbox: internal error', error);
        reply = errorReply(route?.kind ?? null, 500, INTERNAL);
      }
    }
    send(reply);
  }

  return (request, response) => {
    let done = () => {};
    const settled = new Promise<void>((resolve) => {
      done = resolve;
    });
    handle(request, response, settled)
      .catch((error: unknown) => {
        // Only writing the answer itself can fail here: answer 500 if nothing was written, else close.
        logger.error('@portone-kit/sandbox: internal error', error);
        if (response.headersSent || response.destroyed) request.socket.destroy();
        else
          response
            .writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
            .end(errorReply(null, 500, INTERNAL).body);
      })
      .finally(done);
  };
}
