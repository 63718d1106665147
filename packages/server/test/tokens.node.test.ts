import type { Sandbox } from '@portone-kit/sandbox/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PortoneApiError } from '../src/node.js';
import { clientFor, paidPayment, startTestSandbox, tokenRequests } from './support.js';

const GET_PAYMENT = 'GET /payments/:imp_uid';

let sandbox: Sandbox;
let impUid: string;

beforeEach(async () => {
  sandbox = await startTestSandbox();
  impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
});
afterEach(async () => {
  vi.useRealTimers();
  await sandbox.close();
});

describe('the access token', () => {
  // 200 requests on a busy machine may take seconds: a generous budget, and no client timeout to race.
  it('is asked for once by 200 calls that start together on a cold client', { timeout: 60_000 }, async () => {
    const client = clientFor(sandbox);
    const payments = await Promise.all(Array.from({ length: 200 }, () => client.getPayment(impUid)));
    expect(payments.every((payment) => payment?.imp_uid === impUid)).toBe(true);
    expect(tokenRequests(sandbox)).toBe(1);
    expect(sandbox.countRequests(GET_PAYMENT)).toBe(200);
  });

  it('is kept between calls, whatever the skew between this machine and PortOne', async () => {
    // The sandbox clock stands in January 2026; this machine's is elsewhere. Then a year ahead of it.
    const client = clientFor(sandbox);
    for (let call = 0; call < 5; call++) await client.getPayment(impUid);
    expect(tokenRequests(sandbox)).toBe(1);
    sandbox.expireTokensNow();
    sandbox.clock.set(Date.now() + 365 * 24 * 60 * 60 * 1000);
    const ahead = clientFor(sandbox);
    for (let call = 0; call < 5; call++) await ahead.getPayment(impUid);
    expect(tokenRequests(sandbox)).toBe(2);
  });

  it('is renewed a minute before it expires by PortOne’s count (30 minutes), not at the first 401', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.UTC(2030, 0, 1);
    vi.setSystemTime(start);
    const client = clientFor(sandbox);
    await client.getPayment(impUid);
    vi.setSystemTime(start + 28 * 60_000);
    await client.getPayment(impUid);
    expect(tokenRequests(sandbox)).toBe(1);
    vi.setSystemTime(start + 29 * 60_000 + 1000);
    await client.getPayment(impUid);
    expect(tokenRequests(sandbox)).toBe(2);
    expect(sandbox.requests.filter((request) => request.status === 401)).toHaveLength(0);
  });

  it('is renewed once after a 401, and the refused call is sent once more and succeeds', async () => {
    const client = clientFor(sandbox);
    await client.getPayment(impUid);
    sandbox.expireTokensNow();
    expect((await client.getPayment(impUid))?.imp_uid).toBe(impUid);
    expect(tokenRequests(sandbox)).toBe(2);
    expect(
      sandbox.requests.filter((request) => request.route === GET_PAYMENT).map((request) => request.status),
    ).toEqual([200, 401, 200]);
  });

  it('is renewed by one request when 100 calls in flight all meet the 401', { timeout: 60_000 }, async () => {
    const client = clientFor(sandbox);
    await client.getPayment(impUid);
    sandbox.expireTokensNow();
    const payments = await Promise.all(Array.from({ length: 100 }, () => client.getPayment(impUid)));
    expect(payments.every((payment) => payment?.imp_uid === impUid)).toBe(true);
    expect(tokenRequests(sandbox)).toBe(2);
  });

  it('is renewed only once when the 401 persists: the error is thrown, no loop', async () => {
    const client = clientFor(sandbox);
    sandbox.faults.set(GET_PAYMENT, { status: 401 });
    const error = await client.getPayment(impUid).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PortoneApiError);
    expect(error).toMatchObject({ httpStatus: 401, endpoint: `GET /payments/${impUid}` });
    expect(tokenRequests(sandbox)).toBe(2);
    expect(sandbox.countRequests(GET_PAYMENT)).toBe(2);
  });

  it('is refused for a wrong secret with a 401 on getToken, asked once', async () => {
    const client = clientFor(sandbox, { impSecret: 'not-the-secret' });
    await expect(client.getPayment(impUid)).rejects.toMatchObject({
      httpStatus: 401,
      endpoint: 'POST /users/getToken',
    });
    expect(tokenRequests(sandbox)).toBe(1);
  });

  it('is asked again after a 5xx, and a failure reaches every waiting call without sticking', async () => {
    const client = clientFor(sandbox);
    sandbox.faults.set('POST /users/getToken', { status: 503, times: 3 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => client.getPayment(impUid)));
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    expect(tokenRequests(sandbox)).toBe(3);
    expect(sandbox.countRequests(GET_PAYMENT)).toBe(0);
    expect((await client.getPayment(impUid))?.imp_uid).toBe(impUid);
    expect(tokenRequests(sandbox)).toBe(4);
  });
});
