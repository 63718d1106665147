import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClock, type Sandbox, type SandboxClock, type SandboxPayment, startSandbox } from '../../src/server.js';
import { api, paymentParams, seoul, windowPay } from './support.js';

let clock: SandboxClock;
let sandbox: Sandbox;

// A sandbox and a clock per test: no test sees what another stored, or where it moved the clock.
beforeEach(async () => {
  clock = createClock(seoul(2026, 3, 10));
  sandbox = await startSandbox({ port: 0, clock });
});
afterEach(() => sandbox.close());

const getPayment = (impUid: string, query = '?include_sandbox=true') =>
  api<SandboxPayment>(sandbox, 'GET', `/payments/${impUid}${query}`);

const cancel = (json: Record<string, unknown>) => api<SandboxPayment>(sandbox, 'POST', '/payments/cancel', { json });

describe('GET /payments/{imp_uid}', () => {
  it('shows a window payment with include_sandbox=true, with the amount the buyer approved', async () => {
    const callback = await windowPay(sandbox, {
      params: paymentParams({ merchant_uid: 'get_1', amount: 12300, custom_data: { plan: 'basic' } }),
    });
    const { status, envelope } = await getPayment(String(callback.imp_uid));
    expect(status).toBe(200);
    expect(envelope).toMatchObject({
      code: 0,
      response: {
        imp_uid: callback.imp_uid,
        merchant_uid: 'get_1',
        amount: 12300,
        cancel_amount: 0,
        currency: 'KRW',
        status: 'paid',
        pg_provider: 'mobilians',
        pay_method: 'phone',
        channel: 'pc',
        sandbox: true,
        custom_data: '{"plan":"basic"}',
        paid_at: clock.now() / 1000,
        customer_uid: null,
      },
    });
  });

  it('answers 404 for a sandbox payment asked for without include_sandbox, as PortOne does since 2026-01-26', async () => {
    const callback = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'get_2' }) });
    const hidden = await getPayment(String(callback.imp_uid), '');
    expect(hidden.status).toBe(404);
    expect(hidden.envelope).toMatchObject({ response: null });
    expect((await getPayment(String(callback.imp_uid), '?include_sandbox=false')).status).toBe(404);
  });

  it('answers 404 for an unknown imp_uid', async () => {
    const { status, envelope } = await getPayment('imp_999999999999');
    expect(status).toBe(404);
    expect(envelope.code).not.toBe(0);
    expect(envelope.message).toBe('존재하지 않는 결제정보입니다.');
  });
});

describe('GET /payments/find/{merchant_uid}[/{status}]', () => {
  it('finds the latest payment of a merchant_uid, or the latest in a status', async () => {
    const declined = await windowPay(sandbox, {
      params: paymentParams({ merchant_uid: 'find_1' }),
      outcome: 'decline',
    });
    clock.advance(60_000);
    const paid = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'find_1' }) });
    const latest = await api<SandboxPayment>(sandbox, 'GET', '/payments/find/find_1?include_sandbox=true');
    expect(latest.envelope.response).toMatchObject({ imp_uid: paid.imp_uid, status: 'paid' });
    const failed = await api<SandboxPayment>(sandbox, 'GET', '/payments/find/find_1/failed?include_sandbox=true');
    expect(failed.envelope.response).toMatchObject({ imp_uid: declined.imp_uid, status: 'failed' });
    const oldest = await api<SandboxPayment>(
      sandbox,
      'GET',
      '/payments/find/find_1?include_sandbox=true&sorting=started',
    );
    expect(oldest.envelope.response?.imp_uid).toBe(declined.imp_uid);
  });

  it('answers 404 for an unknown merchant_uid, a status it never had, or without include_sandbox', async () => {
    await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'find_2' }) });
    expect((await api(sandbox, 'GET', '/payments/find/nobody?include_sandbox=true')).status).toBe(404);
    expect((await api(sandbox, 'GET', '/payments/find/find_2/cancelled?include_sandbox=true')).status).toBe(404);
    expect((await api(sandbox, 'GET', '/payments/find/find_2')).status).toBe(404);
    expect((await api(sandbox, 'GET', '/payments/find/find_2/unknown?include_sandbox=true')).status).toBe(400);
  });
});

describe('POST /payments/cancel', () => {
  it('cancels a payment in full: status cancelled, cancel_amount and cancel_history', async () => {
    const { imp_uid } = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'cancel_1' }) });
    const { status, envelope } = await cancel({ imp_uid, reason: '고객 요청' });
    expect(status).toBe(200);
    expect(envelope).toMatchObject({
      code: 0,
      response: { status: 'cancelled', cancel_amount: 9900, cancel_reason: '고객 요청' },
    });
    expect(envelope.response?.cancel_history).toEqual([
      expect.objectContaining({ amount: 9900, reason: '고객 요청', cancelled_at: clock.now() / 1000 }),
    ]);
    const again = await cancel({ imp_uid });
    expect(again.status).toBe(200);
    expect(again.envelope).toMatchObject({ code: 1, response: null });
  });

  it('cancels part of a card payment: status stays paid until the whole amount is refunded', async () => {
    await windowPay(sandbox, {
      params: paymentParams({ merchant_uid: 'cancel_2', pay_method: 'card', amount: 10000 }),
    });
    // By merchant_uid, as a form: PortOne accepts both.
    const partial = await api<SandboxPayment>(sandbox, 'POST', '/payments/cancel', {
      form: 'merchant_uid=cancel_2&amount=3000&checksum=10000&reason=partial',
    });
    expect(partial.envelope).toMatchObject({ code: 0, response: { status: 'paid', cancel_amount: 3000 } });
    const rest = await cancel({ merchant_uid: 'cancel_2', amount: 7000, checksum: 7000 });
    expect(rest.envelope).toMatchObject({ code: 0, response: { status: 'cancelled', cancel_amount: 10000 } });
    expect(rest.envelope.response?.cancel_history.map((entry) => entry.amount)).toEqual([3000, 7000]);
  });

  it('refuses a checksum that is not the refundable balance, and changes nothing', async () => {
    const { imp_uid } = await windowPay(sandbox, {
      params: paymentParams({ merchant_uid: 'cancel_3', pay_method: 'card', amount: 5000 }),
    });
    const refused = await cancel({ imp_uid, amount: 1000, checksum: 4000 });
    expect(refused.status).toBe(200);
    expect(refused.envelope.code).not.toBe(0);
    expect(refused.envelope.response).toBeNull();
    expect((await getPayment(String(imp_uid))).envelope.response).toMatchObject({
      status: 'paid',
      cancel_amount: 0,
      cancel_history: [],
    });
  });

  it('refuses to refund more than the balance', async () => {
    const { imp_uid } = await windowPay(sandbox, {
      params: paymentParams({ merchant_uid: 'cancel_4', pay_method: 'card', amount: 5000 }),
    });
    expect((await cancel({ imp_uid, amount: 6000 })).envelope).toMatchObject({ code: 1, response: null });
  });

  it('answers code 1 "취소할 결제건이 존재하지 않습니다." for an unknown payment, with HTTP 200', async () => {
    for (const body of [{ imp_uid: 'imp_999999999999' }, { merchant_uid: 'nobody' }]) {
      const { status, envelope } = await cancel(body);
      expect(status).toBe(200);
      expect(envelope).toEqual({ code: 1, message: '취소할 결제건이 존재하지 않습니다.', response: null });
    }
  });

  it('follows the rules for phone payments: no partial cancel, and only within the month of payment', async () => {
    const { imp_uid } = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'cancel_5' }) });
    expect((await cancel({ imp_uid, amount: 1000 })).envelope).toMatchObject({ code: 1, response: null });
    clock.set(seoul(2026, 4, 1));
    expect((await cancel({ imp_uid })).envelope).toMatchObject({ code: 1, response: null });
    expect((await getPayment(String(imp_uid))).envelope.response).toMatchObject({ status: 'paid', cancel_amount: 0 });
  });

  it('answers 400 without imp_uid or merchant_uid, and 401 without a token', async () => {
    expect((await cancel({ reason: 'x' })).status).toBe(400);
    expect((await api(sandbox, 'POST', '/payments/cancel', { json: { imp_uid: 'x' }, token: null })).status).toBe(401);
  });
});

describe('POST /payments/prepare', () => {
  it('registers an amount that GET /payments/prepare/{merchant_uid} reads', async () => {
    const prepared = await api(sandbox, 'POST', '/payments/prepare', {
      json: { merchant_uid: 'prep_1', amount: 4900 },
    });
    expect(prepared.envelope).toEqual({
      code: 0,
      message: null,
      response: { merchant_uid: 'prep_1', amount: 4900, currency: 'KRW' },
    });
    const read = await api(sandbox, 'GET', '/payments/prepare/prep_1');
    expect(read.envelope.response).toEqual({ merchant_uid: 'prep_1', amount: 4900, currency: 'KRW' });
    expect((await api(sandbox, 'GET', '/payments/prepare/unknown_prep')).status).toBe(404);
  });

  it('makes the window refuse another amount for that merchant_uid, and accept the prepared one', async () => {
    await api(sandbox, 'POST', '/payments/prepare', { form: 'merchant_uid=prep_2&amount=4900' });
    const refused = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'prep_2', amount: 100 }) });
    expect(refused).toMatchObject({ success: false, imp_uid: null, error_code: 'PREPARED_AMOUNT_MISMATCH' });
    expect(refused.error_msg).toMatch(/4900.*100/);
    expect(sandbox.store.paymentsFor('prep_2')).toEqual([]);

    const paid = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'prep_2', amount: 4900 }) });
    expect(paid).toMatchObject({ success: true, paid_amount: 4900 });
  });

  it('refuses to register another amount for a prepared merchant_uid', async () => {
    await api(sandbox, 'POST', '/payments/prepare', { json: { merchant_uid: 'prep_3', amount: 1000 } });
    const same = await api(sandbox, 'POST', '/payments/prepare', { json: { merchant_uid: 'prep_3', amount: 1000 } });
    expect(same.envelope.code).toBe(0);
    const other = await api(sandbox, 'POST', '/payments/prepare', { json: { merchant_uid: 'prep_3', amount: 2000 } });
    expect(other.envelope).toMatchObject({ code: 1, response: null });
    expect(sandbox.store.prepared.get('prep_3')?.amount).toBe(1000);
  });
});
