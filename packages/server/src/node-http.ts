import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { HttpAnswer, HttpFactory } from './http.js';

// Idle connections close before a server's usual keep-alive timeout (Node's 5 s), so that a request
// never goes out on a socket the server is closing.
const IDLE_SOCKET_MS = 4000;

/**
 * Sends through Node's http or https module on one keep-alive agent per client: every call after the
 * first reuses a warm connection, with none of fetch's per-request streams and abort signals. The base
 * URL is read once. Never follows a redirect.
 */
export const nodeHttp: HttpFactory = (baseUrl) => {
  const base = new URL(baseUrl);
  const secure = base.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  const agentOptions = { keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' } as const;
  const target = {
    hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: base.port === '' ? (secure ? 443 : 80) : Number(base.port),
    agent: secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions),
  };
  const prefix = base.pathname.replace(/\/+$/, '');

  return ({ method, path, headers, body }) => {
    let settled = false;
    let fail: (error: Error) => void = () => {};
    const outgoing = send({
      ...target,
      method,
      path: `${prefix}${path}`,
      headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    const answer = new Promise<HttpAnswer>((resolve, reject) => {
      fail = (error) => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      outgoing.on('error', fail);
      outgoing.on('response', (incoming: IncomingMessage) => {
        let text = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => {
          text += chunk;
        });
        incoming.on('end', () => {
          settled = true;
          resolve({ status: incoming.statusCode ?? 0, text });
        });
        incoming.on('error', fail);
        // Cut off before its end (a reset, or the timeout's abort): no answer. (The error is made only
        // then: an Error's stack trace is not free, and every answer closes.)
        incoming.on('close', () => {
          if (!settled) fail(new Error('the connection closed before the answer ended'));
        });
      });
    });
    outgoing.end(body);
    return {
      answer,
      abort() {
        // Once the answer is in, its socket may already serve another request: leave it alone.
        if (settled) return;
        fail(new Error('aborted'));
        outgoing.destroy();
      },
    };
  };
};
