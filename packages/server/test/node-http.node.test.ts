import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClientTimers, createPortoneClient, PortoneNetworkError, PortoneTimeoutError } from '../src/node.js';

// The Node transport against a server that misbehaves on purpose: PortOne's getToken answered, then the
// payment read held or cut off. Time is the test's: a timeout fires when the test says so.

let server: Server;
afterEach(
  () =>
    new Promise<void>((closed) => {
      server.closeAllConnections();
      server.close(() => closed());
    }),
);

const now = 1_800_000_000;
const TOKEN_ANSWER = JSON.stringify({
  code: 0,
  message: null,
  response: { access_token: 'token_1', now, expired_at: now + 1800 },
});

/** A PortOne whose getToken works and whose other routes do what `read` says. */
async function portoneThat(read: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  server = createServer((request, response) => {
    if (request.url?.endsWith('/users/getToken')) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(TOKEN_ANSWER);
      return;
    }
    read(request, response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Timers that never fire by themselves: `fire()` runs the ones set so far. */
function manualTimers(): ClientTimers & { fire(): void } {
  const pending = new Set<() => void>();
  return {
    now: () => now * 1000,
    setTimeout(callback) {
      pending.add(callback);
      return callback;
    },
    clearTimeout(handle) {
      pending.delete(handle as () => void);
    },
    fire() {
      for (const callback of [...pending]) {
        pending.delete(callback);
        callback();
      }
    },
  };
}

describe('the Node transport', () => {
  it('gives up on a held answer when the timeout fires, and closes the connection', async () => {
    const held: IncomingMessage[] = [];
    let arrived = () => {};
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const baseUrl = await portoneThat((request) => {
      held.push(request);
      arrived();
    });
    const timers = manualTimers();
    const client = createPortoneClient({ impKey: 'k', impSecret: 'secret_0001', baseUrl, timers, readRetries: 0 });
    const reading = client.getPayment('imp_1').catch((error: unknown) => error);
    await requestArrived;
    const closed = once((held[0] as IncomingMessage).socket, 'close');
    timers.fire();
    expect(await reading).toBeInstanceOf(PortoneTimeoutError);
    // The server sees its connection closed: the abandoned request holds no socket.
    await closed;
  });

  it('reports an answer cut off before its end as a network error, never as data', async () => {
    const baseUrl = await portoneThat((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      response.write('{"code":0,"message":null,"response":{"imp_uid":');
      setImmediate(() => response.destroy());
    });
    const client = createPortoneClient({ impKey: 'k', impSecret: 'secret_0001', baseUrl, readRetries: 0 });
    const error = await client.getPayment('imp_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PortoneNetworkError);
    expect(error).toMatchObject({ endpoint: 'GET /payments/imp_1' });
  });

  it('sends under a base URL with a path, and never follows a redirect', async () => {
    const paths: string[] = [];
    const baseUrl = await portoneThat((request, response) => {
      paths.push(request.url ?? '');
      response.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' }).end();
    });
    // A base URL with a path (a proxy's, say): every request goes under it.
    const client = createPortoneClient({
      impKey: 'k',
      impSecret: 'secret_0001',
      baseUrl: `${baseUrl}/v1/`,
      readRetries: 0,
    });
    const error = await client.getPayment('imp_1', { includeSandbox: true }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'PortoneApiError', httpStatus: 302 });
    expect(paths).toEqual(['/v1/payments/imp_1?include_sandbox=true']);
  });
});
