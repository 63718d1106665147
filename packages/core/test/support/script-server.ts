import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the scripts the loader tests load, e.g. `http://127.0.0.1:40123`. */
    scriptServerOrigin: string;
  }
}

/** A script that defines an `IMP` recording its calls in `window.__impCalls`, as the SDK's shape has it. */
const IMP_SCRIPT = `window.__impCalls = window.__impCalls || [];
window.IMP = {
  init: function (code) { window.__impCalls.push(['init', code]); },
  agency: function (code, tier) { window.__impCalls.push(['agency', code, tier]); },
  request_pay: function (params, callback) { window.__impCalls.push(['request_pay', params.merchant_uid]); }
};`;

/**
 * The HTTP server behind the loader's browser tests, on 127.0.0.1:
 * - `/imp.js` serves a working SDK; `/no-imp.js` a script that defines nothing;
 * - `/flaky.js?fail=N` answers 500 to the first N requests of its `key`, then serves the SDK;
 * - `/hang.js` never answers;
 * - `/hits?path=/imp.js&key=K` tells how many requests reached a path with that `key` (retry params ignored).
 */
export default async function setup(project: TestProject) {
  const hits = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const key = url.searchParams.get('key') ?? '';
    const hitKey = `${url.pathname}|${key}`;
    if (url.pathname === '/hits') {
      response.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      response.end(JSON.stringify(hits.get(`${url.searchParams.get('path')}|${key}`) ?? 0));
      return;
    }
    const count = (hits.get(hitKey) ?? 0) + 1;
    hits.set(hitKey, count);
    const js = (body: string) => {
      response.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      response.end(body);
    };
    switch (url.pathname) {
      case '/imp.js':
        return js(IMP_SCRIPT);
      case '/no-imp.js':
        return js('window.__noImpLoaded = true;');
      case '/flaky.js':
        if (count <= Number(url.searchParams.get('fail') ?? '1')) {
          response.writeHead(500, { 'cache-control': 'no-store' });
          response.end('boom');
          return;
        }
        return js(IMP_SCRIPT);
      case '/hang.js':
        hanging.add(response);
        return;
      default:
        response.writeHead(404);
        response.end();
    }
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  project.provide('scriptServerOrigin', `http://127.0.0.1:${port}`);
  return async () => {
    for (const response of hanging) response.destroy();
    await new Promise((closed) => server.close(closed));
  };
}
