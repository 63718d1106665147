import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

export interface JsonReply {
  status: number;
  body: unknown;
}

/** A request the shop cannot take; `closeConnection` when its body was left unread on the connection. */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly closeConnection = false,
  ) {
    super(message);
  }
}

const MAX_JSON_BYTES = 16 * 1024;
/**
 * A body past the JSON limit is still read to its end, up to this much, and thrown away: the answer then
 * leaves the keep-alive connection clean for the client's next request. A bigger one is not read: the
 * answer says `connection: close` and the connection ends after it.
 */
export const MAX_DRAINED_BYTES = 1024 * 1024;

/** True when the request's body, or part of it, is still unread and too big to drain (or of unknown size). */
export function leavesBodyUnread(request: IncomingMessage): boolean {
  if (request.complete) return false;
  const hasBody = request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined;
  if (!hasBody) return false;
  const declared = Number(request.headers['content-length']);
  return !(Number.isFinite(declared) && declared <= MAX_DRAINED_BYTES);
}

/** The whole body, read to its end; a body past the limit is drained (or, past the drain limit, left). */
function readBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (declared > MAX_DRAINED_BYTES) return Promise.reject(new BadRequest('body too large', true));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_DRAINED_BYTES) {
        stop();
        request.pause();
        reject(new BadRequest('body too large', true));
      } else if (size <= MAX_JSON_BYTES) {
        chunks.push(chunk);
      }
    };
    const onEnd = () => {
      stop();
      if (size > MAX_JSON_BYTES) reject(new BadRequest('body too large'));
      else resolve(Buffer.concat(chunks));
    };
    const onError = () => {
      stop();
      reject(new BadRequest('request aborted', true));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

/** The request's JSON body. API writes must say `application/json`, which a cross-site form cannot send. */
export async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new BadRequest('content-type must be application/json');
  const body = await readBody(request);
  try {
    const value: unknown = JSON.parse(body.toString('utf8') || '{}');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadRequest('not an object');
    return value as Record<string, unknown>;
  } catch (error) {
    if (error instanceof BadRequest) throw error;
    throw new BadRequest('body is not JSON');
  }
}

/** Answers JSON; `close` ends the connection after it (a body was left unread on it). */
export function sendJson(response: ServerResponse, reply: JsonReply, options: { close?: boolean } = {}) {
  const body = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(options.close ? { connection: 'close' } : {}),
  });
  response.end(body);
}

/** A short plain-text answer (for paths outside the API), closing the connection when `close`. */
export function sendText(response: ServerResponse, status: number, text: string, options: { close?: boolean } = {}) {
  const body = `${text}\n`;
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(options.close ? { connection: 'close' } : {}),
  });
  response.end(body);
}

/** The path, percent-decoded; null when its encoding is broken (`/%E0%A4%A`). */
export function decodedPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/** Serves the built front end; any other path gets index.html, where the app's router takes over. */
export async function serveStatic(clientDir: string, pathname: string, response: ServerResponse) {
  // The caller has checked the encoding (decodedPath); a broken one serves the app, which says not found.
  const relative = normalize(decodedPath(pathname) ?? '/').replace(/^([/\\])+/, '');
  let file = join(clientDir, relative);
  if (!file.startsWith(clientDir + sep)) file = join(clientDir, 'index.html');
  const found = await stat(file).catch(() => null);
  if (!found?.isFile()) file = join(clientDir, 'index.html');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('The front end is not built: run `pnpm --filter example-shop build`.\n');
    return;
  }
  const hashed = file.includes(`${sep}assets${sep}`);
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  });
  response.end(body);
}

/** A string field of a JSON body, trimmed; `null` when absent and allowed. */
export function textField(body: Record<string, unknown>, name: string, maxLength: number): string {
  const value = body[name];
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength) {
    throw new BadRequest(`${name} must be a string of 1 to ${maxLength} characters`);
  }
  return value.trim();
}
