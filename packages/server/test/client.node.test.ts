import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '@portone-kit/sandbox/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createPortoneClient,
  PortoneApiError,
  type PortoneClient,
  PortoneNetworkError,
  PortoneTimeoutError,
} from '../src/node.js';
import { createDrivenNetwork } from './driven-network.js';
import { clientFor, issueBillingKey, paidPayment, payInWindow, seoul, startTestSandbox } from './support.js';

let sandbox: Sandbox;
let client: PortoneClient;

beforeEach(async () => {
  sandbox = await startTestSandbox();
  client = clientFor(sandbox);
});
afterEach(() => sandbox.close());

/** Rejects with the error `promise` throws, for its fields to be read. */
async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('getPayment', () => {
  it('answers the payment, with include_sandbox for test-channel ones', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    expect(await client.getPayment(impUid)).toMatchObject({
      imp_uid: impUid,
      merchant_uid: 'order_1',
      amount: 9900,
      status: 'paid',
      sandbox: true,
    });
    const path = sandbox.requests.find((request) => request.route === 'GET /payments/:imp_uid');
    expect(path?.path).toBe(`/payments/${impUid}`);
  });

  it('answers null for a test payment without include_sandbox, as PortOne hides it, and the call can ask', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    const production = clientFor(sandbox, { includeSandbox: false });
    expect(await production.getPayment(impUid)).toBeNull();
    expect(await production.getPayment(impUid, { includeSandbox: true })).toMatchObject({ imp_uid: impUid });
  });

  it('answers null for an unknown imp_uid (PortOne says 404)', async () => {
    expect(await client.getPayment('imp_000000000000')).toBeNull();
    expect(sandbox.requests.at(-1)?.status).toBe(404);
  });

  it('throws for a bare 404 that is not PortOne’s (a proxy, a wrong baseUrl), never answers null', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    const proxied = clientFor(sandbox, {
      fetch: async (input, init) =>
        String(input).includes('/payments/') ? new Response('Not Found', { status: 404 }) : fetch(input, init),
    });
    for (const read of [proxied.getPayment(impUid), proxied.findPayment('order_1')]) {
      const error = await errorOf(read);
      expect(error).toBeInstanceOf(PortoneApiError);
      expect(error).toMatchObject({ httpStatus: 404, portoneCode: null });
    }
  });

  it('refuses an empty imp_uid before asking anything', async () => {
    await expect(client.getPayment('')).rejects.toThrow(TypeError);
    expect(sandbox.requests).toHaveLength(0);
  });
});

describe('findPayment', () => {
  it('finds by merchant_uid: the latest started, by status, or by another sorting', async () => {
    await payInWindow(sandbox, { merchant_uid: 'order_2', amount: 5000 }, 'decline');
    const paid = await paidPayment(sandbox, { merchant_uid: 'order_2', amount: 5000 });
    expect((await client.findPayment('order_2'))?.imp_uid).toBe(paid);
    expect((await client.findPayment('order_2', { status: 'failed' }))?.status).toBe('failed');
    expect((await client.findPayment('order_2', { sorting: 'started' }))?.status).toBe('failed');
  });

  it('answers null when the merchant_uid has no payment', async () => {
    expect(await client.findPayment('nothing_here')).toBeNull();
  });

  it('percent-encodes the merchant_uid into the path', async () => {
    await paidPayment(sandbox, { merchant_uid: 'order/3 ?#', amount: 5000 });
    expect((await client.findPayment('order/3 ?#'))?.merchant_uid).toBe('order/3 ?#');
  });
});

describe('cancelPayment', () => {
  it('refunds a phone payment in full', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_4', amount: 9900 });
    const cancelled = await client.cancelPayment({ impUid, reason: '고객 요청' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancel_amount: 9900, cancel_reason: '고객 요청' });
  });

  it('refunds part of a card payment with a checksum, and a repeat with the old checksum refunds nothing', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_5', amount: 10000, pay_method: 'card' });
    const partial = await client.cancelPayment({ merchantUid: 'order_5', amount: 3000, checksum: 10000 });
    expect(partial).toMatchObject({ status: 'paid', cancel_amount: 3000 });
    expect(partial.cancel_history).toHaveLength(1);
    const repeat = await errorOf(client.cancelPayment({ impUid, amount: 3000, checksum: 10000 }));
    expect(repeat).toBeInstanceOf(PortoneApiError);
    expect(repeat).toMatchObject({ httpStatus: 200, portoneCode: 1, endpoint: 'POST /payments/cancel' });
    expect((repeat as PortoneApiError).portoneMessage).toMatch(/checksum/);
    expect(sandbox.store.payments.get(impUid)?.cancel_amount).toBe(3000);
  });

  it('throws PortOne’s business error for a payment that does not exist', async () => {
    const error = await errorOf(client.cancelPayment({ impUid: 'imp_000000000000' }));
    expect(error).toMatchObject({ name: 'PortoneApiError', portoneCode: 1, httpStatus: 200 });
    expect((error as Error).message).toContain('POST /payments/cancel');
  });

  it('is never sent again by itself: a 5xx is thrown, once', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_6', amount: 9900 });
    sandbox.faults.set('POST /payments/cancel', { status: 503, times: 1 });
    await expect(client.cancelPayment({ impUid })).rejects.toMatchObject({ httpStatus: 503 });
    expect(sandbox.countRequests('POST /payments/cancel')).toBe(1);
  });
});

describe('preparePayment', () => {
  it('registers an amount, which then blocks a window payment of another amount', async () => {
    expect(await client.preparePayment({ merchantUid: 'order_7', amount: 12000 })).toEqual({
      merchant_uid: 'order_7',
      amount: 12000,
      currency: 'KRW',
    });
    const tampered = await payInWindow(sandbox, { merchant_uid: 'order_7', amount: 100 });
    expect(tampered.success).toBe(false);
    await expect(client.preparePayment({ merchantUid: 'order_7', amount: 100 })).rejects.toMatchObject({
      portoneCode: 1,
    });
  });

  it('refuses an amount that is not a whole number of won', async () => {
    await expect(client.preparePayment({ merchantUid: 'order_8', amount: 10.5 })).rejects.toThrow(RangeError);
  });
});

describe('chargeBillingKey', () => {
  beforeEach(async () => {
    await issueBillingKey(sandbox, 'cust_1', 9900);
    sandbox.clock.set(seoul(2026, 2, 15));
  });

  it('charges the key: paid, confirmed by the answer', async () => {
    const result = await client.chargeBillingKey({
      customerUid: 'cust_1',
      merchantUid: 'feb_1',
      amount: 9900,
      name: '월 구독',
      customData: { plan: 'basic' },
    });
    expect(result).toMatchObject({
      status: 'paid',
      confirmedBy: 'answer',
      payment: { merchant_uid: 'feb_1', amount: 9900, customer_uid: 'cust_1', custom_data: '{"plan":"basic"}' },
    });
    expect(sandbox.store.paymentsFor('feb_1')).toHaveLength(1);
  });

  it('reports a PG decline with its reason (here KG Mobilians’ monthly rule)', async () => {
    const result = await client.chargeBillingKey({
      customerUid: 'cust_1',
      merchantUid: 'feb_2',
      amount: 5000,
      name: '월 구독',
    });
    expect(result.status).toBe('declined');
    if (result.status !== 'declined') return;
    expect(result.failReason).toMatch(/같은 금액/);
    expect(result.payment.status).toBe('failed');
  });

  it('reports a merchant_uid paid already, and charges nothing more', async () => {
    const request = { customerUid: 'cust_1', merchantUid: 'feb_3', amount: 9900, name: '월 구독' };
    expect((await client.chargeBillingKey(request)).status).toBe('paid');
    const again = await client.chargeBillingKey(request);
    expect(again).toMatchObject({ status: 'already-paid', payment: { merchant_uid: 'feb_3', status: 'paid' } });
    expect(sandbox.store.paymentsFor('feb_3')).toHaveLength(1);
  });

  it('reports PortOne’s refusal of an unknown customer_uid, with the error', async () => {
    const result = await client.chargeBillingKey({
      customerUid: 'nobody',
      merchantUid: 'feb_4',
      amount: 9900,
      name: '월 구독',
    });
    expect(result.status).toBe('refused');
    if (result.status !== 'refused') return;
    expect(result.error).toMatchObject({ portoneCode: -1, endpoint: 'POST /subscribe/payments/again' });
    expect(sandbox.store.paymentsFor('feb_4')).toHaveLength(0);
  });

  it('refuses a request that is wrong before sending it', async () => {
    const base = { customerUid: 'cust_1', merchantUid: 'feb_5', amount: 9900, name: '월 구독' };
    await expect(client.chargeBillingKey({ ...base, amount: 0 })).rejects.toThrow(RangeError);
    await expect(client.chargeBillingKey({ ...base, merchantUid: 'm'.repeat(41) })).rejects.toThrow(RangeError);
    await expect(client.chargeBillingKey({ ...base, name: '' })).rejects.toThrow(TypeError);
    expect(sandbox.countRequests('POST /subscribe/payments/again')).toBe(0);
  });
});

describe('billing keys', () => {
  it('gets a key, deletes it (revoking its schedules), then finds none', async () => {
    await issueBillingKey(sandbox, 'cust_2', 9900);
    expect(await client.getBillingKey('cust_2')).toMatchObject({ customer_uid: 'cust_2', pg_provider: 'mobilians' });
    await client.scheduleCharges({
      customerUid: 'cust_2',
      schedules: [{ merchantUid: 'sched_feb', at: new Date(seoul(2026, 2, 15)), amount: 9900, name: '구독' }],
    });
    expect(await client.deleteBillingKey('cust_2', { reason: '해지' })).toMatchObject({ customer_uid: 'cust_2' });
    expect(await client.getBillingKey('cust_2')).toBeNull();
    expect((await client.getSchedule('sched_feb'))?.schedule_status).toBe('revoked');
    const error = await errorOf(client.deleteBillingKey('cust_2'));
    expect(error).toMatchObject({ httpStatus: 404, endpoint: 'DELETE /subscribe/customers/cust_2' });
  });

  it('answers null for a key that does not exist', async () => {
    expect(await client.getBillingKey('nobody')).toBeNull();
  });
});

describe('schedules', () => {
  beforeEach(() => issueBillingKey(sandbox, 'cust_3', 9900));

  it('schedules charges that run when due, and unschedules the rest', async () => {
    const scheduled = await client.scheduleCharges({
      customerUid: 'cust_3',
      schedules: [
        {
          merchantUid: 'cust_3_feb',
          at: new Date(seoul(2026, 2, 15)),
          amount: 9900,
          name: '구독',
          buyerName: '홍길동',
        },
        { merchantUid: 'cust_3_mar', at: new Date(seoul(2026, 3, 15)), amount: 9900, name: '구독' },
      ],
    });
    expect(scheduled.map((entry) => [entry.merchant_uid, entry.schedule_status, entry.schedule_at])).toEqual([
      ['cust_3_feb', 'scheduled', seoul(2026, 2, 15) / 1000],
      ['cust_3_mar', 'scheduled', seoul(2026, 3, 15) / 1000],
    ]);
    const revoked = await client.unscheduleCharges({ customerUid: 'cust_3', merchantUids: ['cust_3_mar'] });
    expect(revoked.map((entry) => entry.schedule_status)).toEqual(['revoked']);
    sandbox.clock.set(seoul(2026, 2, 16));
    expect(await client.getSchedule('cust_3_feb')).toMatchObject({
      schedule_status: 'executed',
      payment_status: 'paid',
    });
    expect(await client.findPayment('cust_3_feb')).toMatchObject({
      status: 'paid',
      customer_uid_usage: 'payment.scheduled',
      buyer_name: '홍길동',
    });
    expect(await client.findPayment('cust_3_mar')).toBeNull();
  });

  it('unschedules every pending charge of a customer, and says when there is none', async () => {
    await client.scheduleCharges({
      customerUid: 'cust_3',
      schedules: [{ merchantUid: 'cust_3_apr', at: new Date(seoul(2026, 4, 15)), amount: 9900, name: '구독' }],
    });
    expect(await client.unscheduleCharges({ customerUid: 'cust_3' })).toHaveLength(1);
    await expect(client.unscheduleCharges({ customerUid: 'cust_3' })).rejects.toMatchObject({ portoneCode: 1 });
    expect(await client.getSchedule('nothing_here')).toBeNull();
  });

  it('refuses a schedule in the past, as PortOne does', async () => {
    await expect(
      client.scheduleCharges({
        customerUid: 'cust_3',
        schedules: [{ merchantUid: 'late', at: new Date(seoul(2026, 1, 1)), amount: 9900, name: '구독' }],
      }),
    ).rejects.toMatchObject({ portoneCode: 1, endpoint: 'POST /subscribe/payments/schedule' });
  });
});

describe('headers', () => {
  it('sends Bearer tokens, and the Tier header on API calls when tierCode is set', async () => {
    const seen: { url: string; headers: Headers }[] = [];
    const tiered = clientFor(sandbox, {
      tierCode: 'AB1',
      fetch: (input, init) => {
        seen.push({ url: String(input), headers: new Headers(init?.headers) });
        return fetch(input, init);
      },
    });
    await tiered.getPayment('imp_000000000000');
    expect(seen).toHaveLength(2);
    const [tokenCall, apiCall] = seen;
    expect(tokenCall?.url).toBe(`${sandbox.url}/users/getToken`);
    expect(tokenCall?.headers.get('tier')).toBeNull();
    expect(apiCall?.headers.get('tier')).toBe('AB1');
    expect(apiCall?.headers.get('authorization')).toMatch(/^Bearer \w+$/);
    expect(apiCall?.url).not.toContain(apiCall?.headers.get('authorization')?.slice(7) ?? '-');
  });

  it('sends no Tier header without tierCode', async () => {
    const seen: Headers[] = [];
    const plain = clientFor(sandbox, {
      fetch: (input, init) => {
        seen.push(new Headers(init?.headers));
        return fetch(input, init);
      },
    });
    await plain.getPayment('imp_000000000000');
    expect(seen.map((headers) => headers.get('tier'))).toEqual([null, null]);
  });
});

describe('lost answers on reads', () => {
  it('sends a read again after a 5xx, and gives up with the status after its retries', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_9', amount: 9900 });
    sandbox.faults.set('GET /payments/:imp_uid', { status: 503, times: 2 });
    expect((await client.getPayment(impUid))?.imp_uid).toBe(impUid);
    expect(sandbox.countRequests('GET /payments/:imp_uid')).toBe(3);
    sandbox.faults.set('GET /payments/:imp_uid', { status: 502, times: 3 });
    const error = await errorOf(client.getPayment(impUid));
    expect(error).toBeInstanceOf(PortoneApiError);
    expect(error).toMatchObject({ httpStatus: 502, portoneCode: -1, endpoint: `GET /payments/${impUid}` });
  });

  it('times a read out, sends it again, and throws PortoneTimeoutError when every try is late', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_10', amount: 9900 });
    // The network loses the answers, so the timeout always comes first, at 100 ms of the sandbox's clock.
    const network = createDrivenNetwork(sandbox);
    const quick = clientFor(sandbox, { fetch: network.fetch, timers: network.timers, timeoutMs: 100, readRetries: 1 });
    network.misfortune('GET /payments/:imp_uid', { kind: 'lost' }, 1);
    expect((await network.drive(quick.getPayment(impUid)))?.imp_uid).toBe(impUid);
    network.misfortune('GET /payments/:imp_uid', { kind: 'lost' }, 2);
    const error = await errorOf(network.drive(quick.getPayment(impUid)));
    expect(error).toBeInstanceOf(PortoneTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 100, endpoint: `GET /payments/${impUid}` });
  });

  it('throws PortoneNetworkError when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((closed) => server.close(() => closed()));
    const offline = createPortoneClient({
      impKey: 'offline_key',
      impSecret: 'offline_secret_0001',
      baseUrl: `http://127.0.0.1:${port}`,
      readRetries: 0,
    });
    const error = await errorOf(offline.getPayment('imp_1'));
    expect(error).toBeInstanceOf(PortoneNetworkError);
    expect(error).toMatchObject({ endpoint: 'POST /users/getToken' });
    expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('treats an answer that is not PortOne’s envelope as an error, not as data', async () => {
    const garbled = clientFor(sandbox, {
      readRetries: 0,
      fetch: async (input, init) => {
        const answer = await fetch(input, init);
        if (String(input).includes('/users/getToken')) return answer;
        return new Response('<html>bad gateway</html>', { status: 200 });
      },
    });
    await expect(garbled.getPayment('imp_1')).rejects.toMatchObject({ httpStatus: 200, portoneCode: null });
  });
});

describe('options', () => {
  const base = { impKey: 'k', impSecret: 's' };

  it('defaults to PortOne’s API and refuses plain http beyond this machine', () => {
    expect(String(createPortoneClient(base))).toBe('PortoneClient <https://api.iamport.kr>');
    expect(() => createPortoneClient({ ...base, baseUrl: 'http://api.iamport.kr' })).toThrow(/https/);
    expect(() => createPortoneClient({ ...base, baseUrl: 'not a url' })).toThrow(/absolute URL/);
    expect(String(createPortoneClient({ ...base, baseUrl: 'http://127.0.0.1:4100/' }))).toBe(
      'PortoneClient <http://127.0.0.1:4100>',
    );
  });

  it('refuses missing keys, a bad tier code and bad numbers', () => {
    expect(() => createPortoneClient({ ...base, impSecret: '' })).toThrow(/impSecret/);
    expect(() => createPortoneClient({ ...base, tierCode: 'ABCD' })).toThrow(/tierCode/);
    expect(() => createPortoneClient({ ...base, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createPortoneClient({ ...base, readRetries: -1 })).toThrow(/readRetries/);
  });
});
