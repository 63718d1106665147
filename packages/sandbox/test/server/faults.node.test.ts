import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClock, type Sandbox, type SandboxPayment, startSandbox } from '../../src/server.js';
import { api, billingParams, getToken, paymentParams, seoul, windowPay } from './support.js';

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, clock: createClock(seoul(2026, 1, 15)) });
  // A key whose first payment is today, so that a charge next month on the 15th passes.
  await windowPay(sandbox, { params: billingParams('cust', 9900) });
  sandbox.clock.set(seoul(2026, 2, 15));
});
afterEach(() => sandbox.close());

const AGAIN = 'POST /subscribe/payments/again';
const charge = (merchantUid: string, token?: string) =>
  api<SandboxPayment>(sandbox, 'POST', '/subscribe/payments/again', {
    json: { customer_uid: 'cust', merchant_uid: merchantUid, amount: 9900, name: '구독' },
    ...(token === undefined ? {} : { token }),
  });

describe('fault injection', () => {
  it('holds a request for latencyMs on the sandbox clock: it answers once the test moves the clock', async () => {
    const { imp_uid } = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'slow' }) });
    const token = await getToken(sandbox);
    sandbox.faults.set('GET /payments/:imp_uid', { latencyMs: 400, times: 1 });
    const answer = api(sandbox, 'GET', `/payments/${imp_uid}?include_sandbox=true`, { token });
    const waiting = await sandbox.nextWaiting('GET /payments/:imp_uid');
    expect(waiting).toMatchObject({ stage: 'latency', path: `/payments/${imp_uid}` });
    sandbox.clock.advance(399);
    expect(sandbox.waiting).toEqual([waiting]);
    sandbox.clock.advance(1);
    expect(sandbox.waiting).toEqual([]);
    expect((await answer).status).toBe(200);
  });

  it('holds a request until the test releases it, then applies the rest of the fault', async () => {
    const token = await getToken(sandbox);
    sandbox.faults.set(AGAIN, { hold: true, statusAfterCommit: 504, times: 1 });
    const answer = charge('h1', token);
    const held = await sandbox.nextWaiting(AGAIN);
    expect(held.stage).toBe('hold');
    // Held before the work: nothing is charged yet, however far the clock goes (short of the token's life).
    sandbox.clock.advance(10 * 60 * 1000);
    expect(sandbox.store.paymentsFor('h1')).toEqual([]);
    held.release();
    expect((await answer).status).toBe(504);
    expect(sandbox.store.paymentsFor('h1')).toEqual([expect.objectContaining({ status: 'paid' })]);
  });

  it('drops a held request on demand: a network error, and the work never done', async () => {
    const token = await getToken(sandbox);
    sandbox.faults.set(AGAIN, { hold: true, times: 1 });
    const answer = charge('h2', token);
    (await sandbox.nextWaiting(AGAIN)).drop();
    await expect(answer).rejects.toThrow();
    expect(sandbox.store.paymentsFor('h2')).toEqual([]);
    expect(sandbox.requests.filter((request) => request.route === AGAIN).at(-1)?.status).toBeNull();
  });

  it('answers a status before doing anything, for as many times as asked', async () => {
    const token = await getToken(sandbox);
    sandbox.faults.set(AGAIN, { status: 500, times: 1 });
    const failed = await charge('m1', token);
    expect(failed.status).toBe(500);
    expect(failed.envelope.response).toBeNull();
    expect(sandbox.store.paymentsFor('m1')).toEqual([]);
    const retried = await charge('m1', token);
    expect(retried.envelope.response?.status).toBe('paid');
  });

  it('drops the socket after committing: the client sees a network error, yet the charge is stored', async () => {
    const token = await getToken(sandbox);
    sandbox.faults.set(AGAIN, { dropAfterCommit: true, times: 1 });
    await expect(charge('m2', token)).rejects.toThrow();
    expect(sandbox.store.paymentsFor('m2')).toEqual([expect.objectContaining({ status: 'paid', amount: 9900 })]);
    expect(sandbox.requests.filter((request) => request.route === AGAIN).at(-1)?.status).toBeNull();
    // A client that retries with the same merchant_uid learns it is paid, and nothing is charged twice.
    const retried = await charge('m2', token);
    expect(retried.envelope).toMatchObject({ response: null });
    expect(retried.envelope.code).not.toBe(0);
    expect(sandbox.store.paymentsFor('m2')).toHaveLength(1);
  });

  it('answers statusAfterCommit after committing', async () => {
    const token = await getToken(sandbox);
    sandbox.faults.set(AGAIN, { statusAfterCommit: 504, times: 1 });
    expect((await charge('m3', token)).status).toBe(504);
    expect(sandbox.store.paymentsFor('m3')).toEqual([expect.objectContaining({ status: 'paid' })]);
  });

  it('answers statusThenCommit at once, then commits once the sandbox clock passes commitAfterMs', async () => {
    const token = await getToken(sandbox);
    sandbox.faults.set(AGAIN, { statusThenCommit: 504, commitAfterMs: 200, times: 1 });
    expect((await charge('m5', token)).status).toBe(504);
    const late = await sandbox.nextWaiting(AGAIN);
    expect(late.stage).toBe('commit');
    expect(sandbox.store.paymentsFor('m5')).toEqual([]);
    sandbox.clock.advance(200);
    await late.settled;
    expect(sandbox.store.paymentsFor('m5')).toEqual([expect.objectContaining({ status: 'paid' })]);
    expect(sandbox.requests.filter((request) => request.route === AGAIN).map((request) => request.status)).toEqual([
      504,
    ]);
  });

  it('applies * to every route, getToken included, until cleared', async () => {
    sandbox.faults.set('*', { status: 503 });
    const token = await fetch(`${sandbox.url}/users/getToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ imp_key: sandbox.impKey, imp_secret: sandbox.impSecret }),
    });
    expect(token.status).toBe(503);
    const window = await fetch(`${sandbox.url}/sandbox/payments/imp_000000000000`);
    expect(window.status).toBe(503);
    expect(window.headers.get('access-control-allow-origin')).toBe('*');
    sandbox.faults.clear();
    expect((await charge('m4')).status).toBe(200);
  });

  it('prefers a route’s own fault to *', async () => {
    sandbox.faults.set('*', { status: 503 });
    sandbox.faults.set('POST /users/getToken', { latencyMs: 0 });
    const token = await getToken(sandbox);
    expect(token).toMatch(/\w+/);
  });

  it('refuses a route the sandbox does not have, so that a typo cannot pass silently', () => {
    expect(() => sandbox.faults.set('POST /subscribe/payment/again', { status: 500 })).toThrow(/no route/);
    expect(() => sandbox.faults.set(AGAIN, { status: 500, times: 0 })).toThrow();
  });

  it('expireTokensNow makes the next call of a client holding a token answer 401', async () => {
    const token = await getToken(sandbox);
    sandbox.expireTokensNow();
    const refused = await charge('m5', token);
    expect(refused.status).toBe(401);
    expect(sandbox.store.paymentsFor('m5')).toEqual([]);
  });
});

describe('request counts', () => {
  it('count each request by route pattern with its status', async () => {
    const token = await getToken(sandbox);
    await charge('n1', token);
    await charge('n1', token);
    await api(sandbox, 'GET', '/payments/imp_000000000000', { token });
    await fetch(`${sandbox.url}/no/such/route`);
    expect(sandbox.countRequests(AGAIN)).toBe(2);
    expect(sandbox.countRequests('GET /payments/:imp_uid')).toBe(1);
    expect(sandbox.requests.filter((request) => request.route === AGAIN).map((request) => request.status)).toEqual([
      200, 200,
    ]);
    expect(sandbox.requests.at(-1)).toEqual({ method: 'GET', route: null, path: '/no/such/route', status: 404 });
  });
});
