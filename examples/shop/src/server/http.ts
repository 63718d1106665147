import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

export interface JsonReply {
  status: number;
  body: unknown;
}

export class BadRequest extends Error {}

const MAX_JSON_BYTES = 16 * 1024;

/** The request's JSON body. API writes must say `application/json`, which a cross-site form cannot send. */
export async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new BadRequest('content-type must be application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_JSON_BYTES) throw new BadRequest('body too large');
    chunks.push(chunk);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadRequest('not an object');
    return value as Record<string, unknown>;
  } catch (error) {
    if (error instanceof BadRequest) throw error;
    throw new BadRequest('body is not JSON');
  }
}

export function sendJson(response: ServerResponse, reply: JsonReply) {
  const body = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(body);
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
  const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
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
