// The Node entry (the `node` export condition): the whole package, with a client that sends through
// Node's http and https modules on a keep-alive agent. Other runtimes get ./index.ts, on `fetch`, which
// never imports a `node:` module.
import { buildPortoneClient, type PortoneClient } from './client.js';
import { nodeHttp } from './node-http.js';
import type { PortoneClientOptions } from './options.js';

export * from './index.js';

/**
 * A client for PortOne's V1 REST API (see the package's `createPortoneClient`), sending through Node's
 * http and https modules with a keep-alive agent, or through `options.fetch` when given.
 */
export function createPortoneClient(options: PortoneClientOptions): PortoneClient {
  return buildPortoneClient(options, nodeHttp);
}
