import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClock, type Sandbox, startSandbox } from '@portone-kit/sandbox/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createMemoryIdempotencyStore,
  createWebhookHandler,
  type Payment,
  PORTONE_WEBHOOK_ADDRESSES,
  type PortoneClient,
  toNodeHandler,
  type WebhookEvent,
  type WebhookHandlerOptions,
} from '../src/node.js';
import { clientFor, paidPayment, seoul } from './support.js';

let sandbox: Sandbox;
let client: PortoneClient;
let received: { payment: Payment; event: WebhookEvent }[];
let errors: unknown[];

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, clock: createClock(seoul(2026, 1, 15)) });
  client = clientFor(sandbox, { readRetries: 0 });
  received = [];
  errors = [];
});
afterEach(() => sandbox.close());

const handlerWith = (options: Partial<WebhookHandlerOptions> = {}) =>
  createWebhookHandler({
    client,
    allowSandbox: true,
    onPayment: (payment, event) => {
      received.push({ payment, event });
    },
    onError: (error) => errors.push(error),
    ...options,
  });

const post = (body: string, contentType = 'application/json', headers: Record<string, string> = {}) =>
  new Request('http://localhost/portone/webhook', {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
  });

const paidEvent = (impUid: string, merchantUid = 'order_1') =>
  post(JSON.stringify({ imp_uid: impUid, merchant_uid: merchantUid, status: 'paid' }));

describe('the Fetch handler', () => {
  it('refetches the payment and passes PortOne’s record to the handler, then answers 200', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    // What is posted is not believed: the status says failed, PortOne says paid.
    const answer = await handlerWith()(
      post(JSON.stringify({ imp_uid: impUid, merchant_uid: 'order_1', status: 'failed' })),
    );
    expect(answer.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]?.payment).toMatchObject({ imp_uid: impUid, status: 'paid', amount: 9900 });
    expect(received[0]?.event).toEqual({
      imp_uid: impUid,
      merchant_uid: 'order_1',
      status: 'failed',
      cancellation_id: null,
    });
    expect(sandbox.countRequests('GET /payments/:imp_uid')).toBe(1);
  });

  it('reads a form body as well as JSON, and a body without a content type', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    const form = new URLSearchParams({ imp_uid: impUid, merchant_uid: 'order_1', status: 'paid' }).toString();
    const store = createMemoryIdempotencyStore();
    expect((await handlerWith({ store })(post(form, 'application/x-www-form-urlencoded'))).status).toBe(200);
    expect((await handlerWith()(post(form, ''))).status).toBe(200);
    expect((await handlerWith()(post(JSON.stringify({ imp_uid: impUid }), 'text/plain'))).status).toBe(200);
    expect(received.map((entry) => entry.payment.imp_uid)).toEqual([impUid, impUid, impUid]);
  });

  it('calls the handler once when PortOne repeats itself', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    const handler = handlerWith();
    const answers = [await handler(paidEvent(impUid)), await handler(paidEvent(impUid))];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(await answers[1]?.text()).toMatch(/already processed/);
    expect(received).toHaveLength(1);
  });

  it('calls it again for a new state of the payment: a cancellation after the payment', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    const handler = handlerWith();
    await handler(paidEvent(impUid));
    await client.cancelPayment({ impUid });
    const cancelled = post(JSON.stringify({ imp_uid: impUid, merchant_uid: 'order_1', status: 'cancelled' }));
    expect((await handler(cancelled)).status).toBe(200);
    expect(received.map((entry) => entry.payment.status)).toEqual(['paid', 'cancelled']);
  });

  it('answers 200 only once the handler has finished', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    let finish = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let entered = () => {};
    const handling = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let answered = false;
    const answer = handlerWith({
      onPayment: () => {
        entered();
        return finished;
      },
    })(paidEvent(impUid)).then((response) => {
      answered = true;
      return response;
    });
    await handling;
    // Everything the handler could do without onPayment's end has run once the event loop turned.
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    finish();
    expect((await answer).status).toBe(200);
  });

  it('answers 500 when the handler throws, and runs it again on PortOne’s next try', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    let calls = 0;
    const handler = handlerWith({
      onPayment: () => {
        calls++;
        if (calls === 1) throw new Error('the database is down');
      },
    });
    expect((await handler(paidEvent(impUid))).status).toBe(500);
    expect(errors).toEqual([new Error('the database is down')]);
    expect((await handler(paidEvent(impUid))).status).toBe(200);
    expect((await handler(paidEvent(impUid))).status).toBe(200);
    expect(calls).toBe(2);
  });

  it('answers 503 to a repeat that arrives while the first is still being handled', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    let finish = () => {};
    const handler = handlerWith({
      onPayment: () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    });
    const first = handler(paidEvent(impUid));
    await vi.waitFor(() => expect(sandbox.countRequests('GET /payments/:imp_uid')).toBe(1));
    const second = await handler(paidEvent(impUid));
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('60');
    finish();
    expect((await first).status).toBe(200);
  });

  it('refuses what is not a webhook of a real payment, without calling the handler', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    const handler = handlerWith({ maxBodyBytes: 256 });
    const statuses = [
      (await handler(paidEvent('imp_000000000000'))).status,
      (await handler(paidEvent(impUid, 'order_forged'))).status,
      (await handler(post(JSON.stringify({ merchant_uid: 'order_1' })))).status,
      (await handler(post('{not json', 'application/json'))).status,
      (await handler(new Request('http://localhost/portone/webhook'))).status,
      (await handler(post(JSON.stringify({ imp_uid: impUid, padding: 'x'.repeat(300) })))).status,
    ];
    expect(statuses).toEqual([404, 400, 400, 400, 405, 413]);
    expect(received).toHaveLength(0);
  });

  it('refuses a test-channel payment unless allowSandbox says otherwise', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    const answer = await handlerWith({ allowSandbox: false })(paidEvent(impUid));
    expect(answer.status).toBe(400);
    expect(await answer.text()).toMatch(/test-channel/);
    expect(received).toHaveLength(0);
  });

  it('answers 503 when the refetched payment is behind the event, and handles it once it caught up', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    const paid = await client.getPayment(impUid);
    if (paid === null) throw new Error('no payment');
    let record: Payment = { ...paid, status: 'ready', paid_at: 0 };
    const lagging: PortoneClient = { ...client, getPayment: async () => record };
    const handler = handlerWith({ client: lagging });
    expect((await handler(paidEvent(impUid))).status).toBe(503);
    const cancelled = post(JSON.stringify({ imp_uid: impUid, merchant_uid: 'order_1', status: 'cancelled' }));
    record = paid;
    expect((await handler(cancelled)).status).toBe(503);
    expect(received).toHaveLength(0);
    expect((await handler(paidEvent(impUid))).status).toBe(200);
    expect(received).toEqual([expect.objectContaining({ payment: expect.objectContaining({ status: 'paid' }) })]);
  });

  it('answers 503 when PortOne cannot be asked, so that PortOne tries again', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    sandbox.faults.set('GET /payments/:imp_uid', { status: 502 });
    const answer = await handlerWith()(paidEvent(impUid));
    expect(answer.status).toBe(503);
    expect(received).toHaveLength(0);
    expect(errors).toEqual([expect.objectContaining({ httpStatus: 502 })]);
  });

  it('can admit PortOne’s documented addresses only, read by a function of the request', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    const handler = handlerWith({
      allowedAddresses: PORTONE_WEBHOOK_ADDRESSES,
      callerAddress: (request) => request.headers.get('x-forwarded-for')?.split(',')[0] ?? null,
      store: { claim: () => 'claimed', complete: () => {}, release: () => {} },
    });
    const from = (address: string | null) =>
      handler(
        post(JSON.stringify({ imp_uid: impUid }), 'application/json', address ? { 'x-forwarded-for': address } : {}),
      );
    expect((await from('52.78.100.19')).status).toBe(200);
    expect((await from('52.78.48.223, 10.0.0.1')).status).toBe(200);
    expect((await from('::ffff:52.78.5.241')).status).toBe(200);
    expect((await from('203.0.113.9')).status).toBe(403);
    expect((await from(null)).status).toBe(403);
    expect(received).toHaveLength(3);
    // Off by default: any caller is served.
    expect((await handlerWith()(post(JSON.stringify({ imp_uid: impUid })))).status).toBe(200);
  });
});

describe('the memory idempotency store', () => {
  it('lets a claim lapse by default before PortOne’s next retry, a minute later', async () => {
    vi.useFakeTimers();
    try {
      const store = createMemoryIdempotencyStore();
      expect(await store.claim('k')).toBe('claimed');
      vi.advanceTimersByTime(59_000);
      expect(await store.claim('k')).toBe('claimed');
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets the oldest done keys beyond its size, and lets a lapsed claim be taken again', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const store = createMemoryIdempotencyStore({ maxKeys: 2, claimTtlMs: 20 });
      for (const key of ['a', 'b', 'c']) {
        expect(store.claim(key)).toBe('claimed');
        store.complete(key);
      }
      expect([store.claim('b'), store.claim('c')]).toEqual(['done', 'done']);
      expect(store.claim('a')).toBe('claimed');
      expect(store.claim('a')).toBe('busy');
      vi.advanceTimersByTime(19);
      expect(store.claim('a')).toBe('busy');
      vi.advanceTimersByTime(1);
      expect(store.claim('a')).toBe('claimed');
      store.release('a');
      expect(store.claim('a')).toBe('claimed');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the Node adapter, with the sandbox posting real webhooks', () => {
  let server: Server;
  let url: string;
  const serve = async (listener: (request: IncomingMessage, response: ServerResponse) => void) => {
    server = createServer(listener);
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/portone/webhook`;
  };
  afterEach(
    () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  );

  it('receives a JSON webhook from the sandbox and answers 200 after the handler', async () => {
    await serve(toNodeHandler(handlerWith()));
    await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900, notice_url: url });
    await sandbox.webhooks.settled();
    expect(sandbox.webhooks.deliveries.map((delivery) => delivery.status)).toEqual([200]);
    expect(received.map((entry) => entry.payment.merchant_uid)).toEqual(['order_1']);
  });

  it('receives a form webhook, as PortOne’s console may be set to send', async () => {
    const formSandbox = await startSandbox({ port: 0, clock: createClock(seoul(2026, 1, 15)), webhookFormat: 'form' });
    try {
      client = clientFor(formSandbox);
      await serve(toNodeHandler(handlerWith()));
      await paidPayment(formSandbox, { merchant_uid: 'order_form', amount: 9900, notice_url: url });
      await formSandbox.webhooks.settled();
      expect(formSandbox.webhooks.deliveries[0]?.contentType).toBe('application/x-www-form-urlencoded');
      expect(formSandbox.webhooks.deliveries[0]?.status).toBe(200);
      expect(received.map((entry) => entry.payment.merchant_uid)).toEqual(['order_form']);
    } finally {
      await formSandbox.close();
    }
  });

  it('takes the socket’s address as the caller’s: 127.0.0.1 is not PortOne', async () => {
    await serve(toNodeHandler(handlerWith({ allowedAddresses: PORTONE_WEBHOOK_ADDRESSES })));
    await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900, notice_url: url });
    await sandbox.webhooks.settled();
    expect(sandbox.webhooks.deliveries.map((delivery) => delivery.status)).toEqual([403]);
    expect(received).toHaveLength(0);
  });

  it('works behind a body parser that has read the body already, as Express’s does', async () => {
    const adapter = toNodeHandler(handlerWith({ allowedAddresses: ['127.0.0.1'] }));
    await serve(async (request, response) => {
      let text = '';
      for await (const chunk of request) text += String(chunk);
      Object.assign(request, { body: JSON.parse(text) as unknown });
      await adapter(request, response);
    });
    await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900, notice_url: url });
    await sandbox.webhooks.settled();
    expect(sandbox.webhooks.deliveries.map((delivery) => delivery.status)).toEqual([200]);
    expect(received).toHaveLength(1);
  });

  it('reads the stream when a JSON parser left {} on a form request unread, as Express 4’s json() does', async () => {
    const adapter = toNodeHandler(handlerWith());
    await serve(async (request, response) => {
      Object.assign(request, { body: {} });
      await adapter(request, response);
    });
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ imp_uid: impUid, merchant_uid: 'order_1', status: 'paid' }).toString(),
    });
    expect(answer.status).toBe(200);
    expect(received.map((entry) => entry.payment.imp_uid)).toEqual([impUid]);
  });

  it('answers 413 to a body declared too large, before reading it', async () => {
    await serve(toNodeHandler(handlerWith({ maxBodyBytes: 1024 }), { maxBodyBytes: 1024 }));
    const answer = await fetch(url, { method: 'POST', body: 'x'.repeat(100_000) });
    expect(answer.status).toBe(413);
    expect(received).toHaveLength(0);
  });

  it('answers 413 to an endless chunked body after maxBodyBytes + 1 bytes, without waiting for its end', async () => {
    await serve(toNodeHandler(handlerWith({ maxBodyBytes: 1024 }), { maxBodyBytes: 1024 }));
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = httpRequest(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
      outgoing.on('response', (answer) => {
        resolve(answer.statusCode ?? 0);
        answer.resume();
        outgoing.destroy();
      });
      outgoing.on('error', reject);
      // Never ended: only an adapter that stops reading can answer.
      outgoing.write('y'.repeat(4096));
    });
    expect(status).toBe(413);
    expect(received).toHaveLength(0);
  });

  it('passes on the failed payment of a scheduled charge that Mobilians declined', async () => {
    await serve(toNodeHandler(handlerWith()));
    await paidPayment(sandbox, {
      pg: 'mobilians.170622040674',
      customer_uid: 'cust',
      merchant_uid: 'issue_cust',
      amount: 9900,
    });
    await client.scheduleCharges({
      customerUid: 'cust',
      // The 16th: not the first charge's day, so Mobilians' rule declines it.
      schedules: [{ merchantUid: 'feb', at: new Date(seoul(2026, 2, 16)), amount: 9900, name: '구독', noticeUrl: url }],
    });
    sandbox.clock.set(seoul(2026, 2, 17));
    await sandbox.webhooks.settled();
    expect(received.map((entry) => [entry.payment.merchant_uid, entry.payment.status])).toEqual([['feb', 'failed']]);
  });
});

describe('what the handler runs on', () => {
  it('uses no node: module outside the Node adapter’s types, so edge runtimes can load it', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const sourceDir = new URL('../src/', import.meta.url);
    // The Node entry and its http sender are Node's alone: edge runtimes resolve the fetch entry.
    const nodeOnly = ['node.ts', 'node-http.ts'];
    const files = readdirSync(sourceDir).filter((name) => name.endsWith('.ts') && !nodeOnly.includes(name));
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) {
      expect(readFileSync(new URL(name, sourceDir), 'utf8'), name).not.toMatch(/from ['"]node:|require\(/);
    }
  });
});
