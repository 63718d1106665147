import type { WebhookHandler } from './webhook.js';

// Node's `(req, res)` described by shape, so that http, Express, Fastify's raw objects and Next.js' pages
// API all fit, and this entry needs neither node: imports nor Node's types.

/** What the adapter reads of Node's `IncomingMessage` (or Express's request). */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string | undefined;
  url?: string | undefined;
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  socket?: { remoteAddress?: string | undefined } | null | undefined;
  /** Set when a body parser (e.g. `express.json()`) has read the body already. */
  body?: unknown;
}

/** What the adapter writes of Node's `ServerResponse`. */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

/** Headers that describe the connection or the old body, not the request the handler reads. */
const DROPPED_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'expect']);

async function bodyOf(request: NodeRequestLike): Promise<Uint8Array<ArrayBuffer> | string> {
  const parsed = request.body;
  if (typeof parsed === 'string') return parsed;
  // A copy: a Buffer may be a view of a shared pool, which a Request must not see past its own bytes.
  if (parsed instanceof Uint8Array) return new Uint8Array(parsed);
  // A body parser ran first: give the handler its fields again, as JSON.
  if (parsed !== undefined && parsed !== null) return JSON.stringify(parsed);
  const chunks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  for await (const chunk of request) chunks.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  const joined = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

/**
 * Serves a {@link WebhookHandler} from Node's `(req, res)`: `http.createServer(toNodeHandler(handler))`,
 * `app.post('/portone/webhook', toNodeHandler(handler))`. Passes the socket's address as the caller's.
 */
export function toNodeHandler(
  handler: WebhookHandler,
): (request: NodeRequestLike, response: NodeResponseLike) => Promise<void> {
  return async (request, response) => {
    let fetchRequest: Request;
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined || DROPPED_HEADERS.has(name.toLowerCase())) continue;
        headers.set(name, typeof value === 'string' ? value : value.join(', '));
      }
      const parsed = request.body;
      if (typeof parsed === 'object' && parsed !== null && !(parsed instanceof Uint8Array)) {
        headers.set('content-type', 'application/json');
      }
      const method = (request.method ?? 'GET').toUpperCase();
      const hasBody = method !== 'GET' && method !== 'HEAD';
      // Only the path matters to the handler; the host is a placeholder, never a destination.
      const url = `http://localhost/${(request.url ?? '/').replace(/^\/+/, '')}`;
      fetchRequest = new Request(url, { method, headers, ...(hasBody ? { body: await bodyOf(request) } : {}) });
    } catch {
      fetchRequest = new Request('http://localhost/', { method: 'POST', body: '' });
    }
    let answer: Response;
    try {
      answer = await handler(fetchRequest, { remoteAddress: request.socket?.remoteAddress });
    } catch {
      answer = new Response('the handler failed\n', {
        status: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    response.statusCode = answer.status;
    answer.headers.forEach((value, name) => {
      response.setHeader(name, value);
    });
    response.end(await answer.text());
  };
}
