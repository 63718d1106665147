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
  /** Node's flag: false while nothing has read the stream. */
  readableDidRead?: boolean | undefined;
}

/** What the adapter writes of Node's `ServerResponse`. */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

/** Options of {@link toNodeHandler}: how much of a body it reads. */
export interface NodeHandlerOptions {
  /** Reading stops past this many bytes, and the handler answers 413. Default 64 KiB: give the handler's. */
  maxBodyBytes?: number;
}

/**
 * Headers that describe the connection, not the request the handler reads. `content-length` stays: it
 * lets the handler refuse a body declared too large before anything is read.
 */
const DROPPED_HEADERS = new Set(['host', 'connection', 'transfer-encoding', 'keep-alive', 'expect']);

const isEmptyObject = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  Object.getPrototypeOf(value) === Object.prototype &&
  Object.keys(value).length === 0;

/** The body as a parser left it, or null when the stream is to be read. */
function parsedBody(request: NodeRequestLike): Uint8Array<ArrayBuffer> | string | null {
  const parsed = request.body;
  if (parsed === undefined || parsed === null) return null;
  // Express 4's json() sets `{}` on a form request and leaves its stream unread: the stream has the body.
  if (isEmptyObject(parsed) && request.readableDidRead === false) return null;
  if (typeof parsed === 'string') return parsed;
  // A copy: a Buffer may be a view of a shared pool, which a Request must not see past its own bytes.
  if (parsed instanceof Uint8Array) return new Uint8Array(parsed);
  // A body parser ran first: give the handler its fields again, as JSON.
  return JSON.stringify(parsed);
}

/**
 * Reads the stream up to `maxBytes + 1` bytes: enough for the handler to see it is too large, without
 * holding the rest. `cut` when reading stopped before the end.
 */
async function streamBody(
  request: NodeRequestLike,
  maxBytes: number,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; cut: boolean }> {
  if (Number(request.headers['content-length']) > maxBytes) return { bytes: new Uint8Array(0), cut: true };
  const chunks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  let size = 0;
  let cut = false;
  // Not `for await`: leaving it early would destroy the request, and with it the socket the answer needs.
  const iterator = request[Symbol.asyncIterator]();
  for (;;) {
    const { done, value } = await iterator.next();
    if (done) break;
    const chunk = typeof value === 'string' ? encoder.encode(value) : value;
    const room = maxBytes + 1 - size;
    chunks.push(chunk.byteLength > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.byteLength, room);
    if (size > maxBytes) {
      cut = true;
      break;
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, cut };
}

/**
 * Serves a {@link WebhookHandler} from Node's `(req, res)`: `http.createServer(toNodeHandler(handler))`,
 * `app.post('/portone/webhook', toNodeHandler(handler))`. Passes the socket's address as the caller's.
 */
export function toNodeHandler(
  handler: WebhookHandler,
  options: NodeHandlerOptions = {},
): (request: NodeRequestLike, response: NodeResponseLike) => Promise<void> {
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  return async (request, response) => {
    let fetchRequest: Request;
    let cut = false;
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined || DROPPED_HEADERS.has(name.toLowerCase())) continue;
        headers.set(name, typeof value === 'string' ? value : value.join(', '));
      }
      const method = (request.method ?? 'GET').toUpperCase();
      let body: Uint8Array<ArrayBuffer> | string | null = null;
      if (method !== 'GET' && method !== 'HEAD') {
        body = parsedBody(request);
        if (body !== null) {
          // The parser's length, not the wire's.
          headers.delete('content-length');
          if (typeof request.body === 'object' && !(request.body instanceof Uint8Array)) {
            headers.set('content-type', 'application/json');
          }
        } else {
          const streamed = await streamBody(request, maxBodyBytes);
          body = streamed.bytes;
          cut = streamed.cut;
        }
      }
      // Only the path matters to the handler; the host is a placeholder, never a destination.
      const url = `http://localhost/${(request.url ?? '/').replace(/^\/+/, '')}`;
      fetchRequest = new Request(url, { method, headers, ...(body === null ? {} : { body }) });
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
    // The rest of the body was left unread: this connection cannot carry another request.
    if (cut) response.setHeader('connection', 'close');
    response.end(await answer.text());
  };
}
