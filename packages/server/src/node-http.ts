import { globalAgent as httpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { globalAgent as httpsAgent, request as httpsRequest } from 'node:https';
import type { HttpAnswer, HttpFactory } from './http.js';

/**
 * Sends through Node's http or https module, on Node's global agent: keep-alive since Node 19, so every
 * call after the first reuses a warm connection, shared by every client of the process (a client made
 * per request leaves no sockets of its own behind), with none of fetch's per-request streams and abort
 * signals. The base URL is read once. Never follows a redirect.
 */
export const nodeHttp: HttpFactory = (baseUrl) => {
  const base = new URL(baseUrl);
  const secure = base.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  const target = {
    hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: base.port === '' ? (secure ? 443 : 80) : Number(base.port),
    agent: secure ? httpsAgent : httpAgent,
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
