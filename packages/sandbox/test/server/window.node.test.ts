import { interpretPaymentResponse } from '@portone-kit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClock, type Sandbox, type SandboxClock, type SandboxCustomer, startSandbox } from '../../src/server.js';
import { api, billingParams, paymentParams, seoul, windowPay } from './support.js';

let clock: SandboxClock;
let sandbox: Sandbox;

// A sandbox and a clock per test: no test sees what another stored, or where it moved the clock.
beforeEach(async () => {
  clock = createClock(seoul(2026, 5, 20));
  sandbox = await startSandbox({ port: 0, clock, sdkScript: 'window.IMP = {};' });
});
afterEach(() => sandbox.close());

describe('POST /sandbox/payments (the fake window)', () => {
  it('approves: a paid payment and the callback object the SDK gives, which the kit reads as completed', async () => {
    const callback = await windowPay(sandbox, {
      params: paymentParams({ merchant_uid: 'win_1', buyer_name: '홍길동', custom_data: { a: 1 } }),
      channel: 'mobile',
    });
    expect(callback).toMatchObject({
      success: true,
      imp_success: true,
      merchant_uid: 'win_1',
      pay_method: 'phone',
      paid_amount: 9900,
      status: 'paid',
      pg_provider: 'mobilians',
      buyer_name: '홍길동',
    });
    expect(callback.imp_uid).toMatch(/^imp_\d{12}$/);
    expect(callback).not.toHaveProperty('error_code');
    expect(interpretPaymentResponse(callback)).toMatchObject({ status: 'completed', impUid: callback.imp_uid });
    expect(sandbox.store.payments.get(String(callback.imp_uid))).toMatchObject({
      status: 'paid',
      channel: 'mobile',
      amount: 9900,
      buyer_tel: '010-1234-5678',
      name: '주문 결제',
      custom_data: '{"a":1}',
      paid_at: clock.now() / 1000,
      sandbox: true,
      customer_uid_usage: null,
    });
  });

  it('refuses a paid merchant_uid with F1002 and stores nothing', async () => {
    await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'win_2' }) });
    const before = sandbox.store.payments.size;
    const callback = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'win_2' }) });
    expect(callback).toMatchObject({
      imp_uid: null,
      merchant_uid: 'win_2',
      success: false,
      error_code: 'F1002',
      error_msg: '이미 결제가 이루어진 거래건입니다',
    });
    expect(sandbox.store.payments.size).toBe(before);
  });

  it('declines: a failed payment with fail_reason, and the error in the callback', async () => {
    const callback = await windowPay(sandbox, {
      params: paymentParams({ merchant_uid: 'win_3' }),
      outcome: 'decline',
      error_code: 'LIMIT',
      error_msg: '한도 초과',
    });
    expect(callback).toMatchObject({ success: false, status: 'failed', error_code: 'LIMIT', error_msg: '한도 초과' });
    expect(interpretPaymentResponse(callback)).toMatchObject({ status: 'failed', code: 'LIMIT' });
    expect(sandbox.store.payments.get(String(callback.imp_uid))).toMatchObject({
      status: 'failed',
      fail_reason: '한도 초과',
      failed_at: clock.now() / 1000,
      paid_at: 0,
    });
    // A failed merchant_uid may be paid afterwards.
    expect(await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'win_3' }) })).toMatchObject({
      success: true,
    });
  });

  it('cancels with F0005 and leaves the payment ready', async () => {
    const callback = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'win_4' }), outcome: 'cancel' });
    expect(callback).toMatchObject({
      success: false,
      error_code: 'F0005',
      error_msg: expect.stringContaining('사용자가 결제를 취소하였습니다'),
    });
    expect(interpretPaymentResponse(callback)).toMatchObject({ status: 'cancelled' });
    expect(sandbox.store.payments.get(String(callback.imp_uid))).toMatchObject({ status: 'ready', paid_at: 0 });
  });

  it('answers with CORS headers for any origin, preflight included', async () => {
    const preflight = await fetch(`${sandbox.url}/sandbox/payments`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:6006', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
    const post = await fetch(`${sandbox.url}/sandbox/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1:6006' },
      body: JSON.stringify({ params: paymentParams({ merchant_uid: 'win_5' }), outcome: 'approve' }),
    });
    expect(post.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('GET /sandbox/payments/{imp_uid} answers the stored payment without a token, 404 when unknown', async () => {
    const { imp_uid } = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'win_6', amount: 777 }) });
    const found = await fetch(`${sandbox.url}/sandbox/payments/${imp_uid}`);
    expect(found.status).toBe(200);
    expect(found.headers.get('access-control-allow-origin')).toBe('*');
    expect(await found.json()).toMatchObject({ imp_uid, amount: 777, status: 'paid' });
    expect((await fetch(`${sandbox.url}/sandbox/payments/imp_000000000000`)).status).toBe(404);
  });

  it('serves the configured SDK script at /v1/iamport.js', async () => {
    const script = await fetch(`${sandbox.url}/v1/iamport.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toBe('window.IMP = {};');
  });
});

describe('the billing-key window (customer_uid)', () => {
  const getCustomer = (customerUid: string) =>
    api<SandboxCustomer>(sandbox, 'GET', `/subscribe/customers/${customerUid}`);

  it('issues a key mapped to customer_uid and charges the first payment at once', async () => {
    const callback = await windowPay(sandbox, { params: billingParams('cust_1', 4900) });
    expect(callback).toMatchObject({ success: true, paid_amount: 4900, status: 'paid' });
    expect(sandbox.store.payments.get(String(callback.imp_uid))).toMatchObject({
      customer_uid: 'cust_1',
      customer_uid_usage: 'issue',
      amount: 4900,
      pg_id: '170622040674',
    });
    const { status, envelope } = await getCustomer('cust_1');
    expect(status).toBe(200);
    expect(envelope.response).toMatchObject({
      customer_uid: 'cust_1',
      pg_provider: 'mobilians',
      pg_id: '170622040674',
      sandbox: true,
      customer_tel: '010-1234-5678',
    });
    expect(sandbox.store.billingTerms.get('cust_1')).toEqual({
      first: { amount: 4900, paid_at: clock.now() / 1000, imp_uid: callback.imp_uid },
      charged_months: ['2026-05'],
    });
  });

  it('replaces the key of a customer_uid issued again, and its first payment with it', async () => {
    await windowPay(sandbox, { params: billingParams('cust_2', 4900, 'issue_2a') });
    const inserted = (await getCustomer('cust_2')).envelope.response?.inserted;
    clock.advance(24 * 60 * 60 * 1000);
    const second = await windowPay(sandbox, { params: billingParams('cust_2', 7900, 'issue_2b') });
    const customer = (await getCustomer('cust_2')).envelope.response;
    expect(customer).toMatchObject({ inserted, updated: clock.now() / 1000 });
    expect(sandbox.store.billingTerms.get('cust_2')?.first).toMatchObject({ amount: 7900, imp_uid: second.imp_uid });
  });

  it('with amount 0 issues the key without a first payment: the first charge comes later', async () => {
    const callback = await windowPay(sandbox, { params: billingParams('cust_3', 0) });
    expect(callback).toMatchObject({ success: true, paid_amount: 0 });
    expect((await getCustomer('cust_3')).status).toBe(200);
    expect(sandbox.store.billingTerms.get('cust_3')).toEqual({ first: null, charged_months: [] });
  });

  it('issues no key when the buyer declines, and none for a pay_method other than phone', async () => {
    await windowPay(sandbox, { params: billingParams('cust_4', 4900), outcome: 'decline' });
    expect((await getCustomer('cust_4')).status).toBe(404);
    const card = await windowPay(sandbox, {
      params: { ...billingParams('cust_5', 4900), pay_method: 'card' },
    });
    expect(card).toMatchObject({ success: false, imp_uid: null });
    expect((await getCustomer('cust_5')).status).toBe(404);
  });
});
