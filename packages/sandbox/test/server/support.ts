import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '../../src/server.js';

/** PortOne's envelope, with the response type the caller expects. */
export interface Envelope<T> {
  code: number;
  message: string | null;
  response: T | null;
}

export interface ApiAnswer<T> {
  status: number;
  envelope: Envelope<T>;
}

export async function getToken(sandbox: Sandbox): Promise<string> {
  const answer = await fetch(`${sandbox.url}/users/getToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ imp_key: sandbox.impKey, imp_secret: sandbox.impSecret }),
  });
  const envelope = (await answer.json()) as Envelope<{ access_token: string }>;
  if (!envelope.response) throw new Error(`getToken failed: ${answer.status} ${envelope.message}`);
  return envelope.response.access_token;
}

export interface CallOptions {
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded, as written. */
  form?: string;
  /** Default: a fresh token from getToken; null sends none. */
  token?: string | null;
  headers?: Record<string, string>;
}

/** Calls the sandbox's REST API as a server would, with `Authorization: Bearer`. */
export async function api<T>(
  sandbox: Sandbox,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiAnswer<T>> {
  const token = options.token === undefined ? await getToken(sandbox) : options.token;
  const headers: Record<string, string> = { ...(token === null ? {} : { authorization: `Bearer ${token}` }) };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = options.form;
  }
  const answer = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { ...headers, ...options.headers },
    ...(body === undefined ? {} : { body }),
  });
  return { status: answer.status, envelope: (await answer.json()) as Envelope<T> };
}

/** The callback object the sandbox's window answers. */
export type CallbackObject = Record<string, unknown> & { imp_uid: string | null; success: boolean };

export interface WindowRequest {
  params: Record<string, unknown>;
  outcome?: 'approve' | 'decline' | 'cancel';
  error_code?: string;
  error_msg?: string;
  channel?: 'pc' | 'mobile';
}

/** What the browser fake's window posts when the buyer is done. */
export async function windowPay(sandbox: Sandbox, request: WindowRequest): Promise<CallbackObject> {
  const answer = await fetch(`${sandbox.url}/sandbox/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outcome: 'approve', ...request }),
  });
  if (answer.status !== 200) throw new Error(`the window post failed: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { response: CallbackObject }).response;
}

export const paymentParams = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  pg: 'mobilians',
  pay_method: 'phone',
  merchant_uid: 'order_1',
  name: '주문 결제',
  amount: 9900,
  buyer_tel: '010-1234-5678',
  ...overrides,
});

/** A billing-key window (phone, as Mobilians issues keys) for `customerUid`, charging `amount` at once. */
export const billingParams = (customerUid: string, amount: number, merchantUid = `issue_${customerUid}`) =>
  paymentParams({ pg: 'mobilians.170622040674', customer_uid: customerUid, merchant_uid: merchantUid, amount });

/** Milliseconds of a time in Seoul (UTC+9). */
export const seoul = (year: number, month: number, day: number, hour = 10) => Date.UTC(year, month - 1, day, hour - 9);

export interface ReceivedWebhook {
  contentType: string | undefined;
  body: string;
  headers: IncomingHttpHeaders;
}

/** A webhook receiver on 127.0.0.1 that answers `status` and keeps what it got. */
export async function startReceiver(status = 200) {
  const received: ReceivedWebhook[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    received.push({ contentType: request.headers['content-type'], body, headers: request.headers });
    response.writeHead(status).end();
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    /** Resolves once `count` webhooks have arrived. */
    async waitFor(count: number): Promise<ReceivedWebhook[]> {
      while (received.length < count) await new Promise<void>((wake) => waiters.push(wake));
      return received;
    },
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
