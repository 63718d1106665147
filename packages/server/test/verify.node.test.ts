import type { Sandbox } from '@portone-kit/sandbox/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkPayment, type Payment, type PortoneClient } from '../src/node.js';
import { clientFor, paidPayment, payInWindow, startTestSandbox } from './support.js';

let sandbox: Sandbox;
let client: PortoneClient;

beforeEach(async () => {
  sandbox = await startTestSandbox();
  // A production server's client: test-channel payments are not its default.
  client = clientFor(sandbox, { includeSandbox: false });
});
afterEach(() => sandbox.close());

const expected = { merchantUid: 'order_1', amount: 9900 };

describe('verifyPayment', () => {
  it('verifies a paid payment of the expected merchant_uid and amount', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    const result = await client.verifyPayment({ impUid, expected, allowSandbox: true });
    expect(result).toMatchObject({ verified: true, payment: { imp_uid: impUid, status: 'paid' } });
  });

  it('names a test-channel payment in production instead of calling it not found', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900 });
    const result = await client.verifyPayment({ impUid, expected });
    expect(result).toMatchObject({ verified: false, reason: 'sandbox', payment: { imp_uid: impUid } });
    expect(sandbox.requests.at(-1)?.path).toBe(`/payments/${impUid}`);
  });

  it('reports an amount that differs, with both amounts', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 100 });
    const result = await client.verifyPayment({ impUid, expected, allowSandbox: true });
    expect(result).toMatchObject({ verified: false, reason: 'amount', expected: 9900, actual: 100 });
    if (!result.verified) expect(result.message).toMatch(/do not fulfil/);
  });

  it('reports a payment refunded in part before the order was verified: not what the order paid', async () => {
    // A card payment: KG Mobilians refunds phone payments in full only.
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900, pay_method: 'card' });
    await client.cancelPayment({ impUid, amount: 1000, checksum: 9900 });
    const result = await client.verifyPayment({ impUid, expected, allowSandbox: true });
    expect(result).toMatchObject({
      verified: false,
      reason: 'partially-cancelled',
      expected: 9900,
      actual: 8900,
      payment: { amount: 9900, cancel_amount: 1000 },
    });
    if (!result.verified) expect(result.message).toMatch(/do not fulfil/);
  });

  it('reports a payment refunded in full with its own reason', async () => {
    // A card payment: KG Mobilians refunds phone payments in full only.
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_1', amount: 9900, pay_method: 'card' });
    await client.cancelPayment({ impUid, amount: 1000, checksum: 9900 });
    await client.cancelPayment({ impUid, checksum: 8900 });
    const result = await client.verifyPayment({ impUid, expected, allowSandbox: true });
    expect(result).toMatchObject({ verified: false, reason: 'cancelled', payment: { cancel_amount: 9900 } });
  });

  it('reports a payment of another merchant_uid', async () => {
    const impUid = await paidPayment(sandbox, { merchant_uid: 'order_other', amount: 9900 });
    const result = await client.verifyPayment({ impUid, expected, allowSandbox: true });
    expect(result).toMatchObject({
      verified: false,
      reason: 'merchant-uid',
      expected: 'order_1',
      actual: 'order_other',
    });
  });

  it('reports a payment that is not paid: abandoned (ready) or declined (failed)', async () => {
    const abandoned = await payInWindow(sandbox, { merchant_uid: 'order_1', amount: 9900 }, 'cancel');
    const declined = await payInWindow(sandbox, { merchant_uid: 'order_1', amount: 9900 }, 'decline');
    for (const [answer, status] of [
      [abandoned, 'ready'],
      [declined, 'failed'],
    ] as const) {
      const result = await client.verifyPayment({ impUid: answer.imp_uid ?? '', expected, allowSandbox: true });
      expect(result).toMatchObject({ verified: false, reason: 'status', expected: 'paid', actual: status });
    }
  });

  it('reports a payment PortOne does not have', async () => {
    const result = await client.verifyPayment({ impUid: 'imp_000000000000', expected, allowSandbox: true });
    expect(result).toEqual({
      verified: false,
      reason: 'not-found',
      payment: null,
      message: 'PortOne has no such payment',
    });
  });
});

describe('checkPayment', () => {
  const payment: Payment = {
    imp_uid: 'imp_1',
    merchant_uid: 'order_1',
    amount: 9900,
    cancel_amount: 0,
    currency: 'KRW',
    status: 'paid',
    sandbox: false,
  };

  it('verifies a live payment without allowSandbox', () => {
    expect(checkPayment(payment, expected)).toEqual({ verified: true, payment });
  });

  it('reports another currency', () => {
    expect(checkPayment({ ...payment, currency: 'USD' }, expected)).toMatchObject({
      reason: 'currency',
      expected: 'KRW',
      actual: 'USD',
    });
  });

  it('counts what is still paid, whatever the status says of a refund', () => {
    expect(checkPayment({ ...payment, cancel_amount: 1 }, expected)).toMatchObject({
      reason: 'partially-cancelled',
      actual: 9899,
    });
    // Refunded in part and marked cancelled, or in full and still marked paid: never verified.
    expect(checkPayment({ ...payment, status: 'cancelled', cancel_amount: 900 }, expected)).toMatchObject({
      reason: 'partially-cancelled',
      actual: 9000,
    });
    expect(checkPayment({ ...payment, cancel_amount: 9900 }, expected)).toMatchObject({ reason: 'cancelled' });
    expect(checkPayment({ ...payment, status: 'cancelled', cancel_amount: 9900 }, expected)).toMatchObject({
      reason: 'cancelled',
    });
  });

  it('checks the channel first, then the merchant_uid, the amount and the status', () => {
    const wrong = { ...payment, sandbox: true, merchant_uid: 'x', amount: 1, status: 'failed' as const };
    expect(checkPayment(wrong, expected)).toMatchObject({ reason: 'sandbox' });
    expect(checkPayment({ ...wrong, sandbox: false }, expected)).toMatchObject({ reason: 'merchant-uid' });
    expect(checkPayment({ ...wrong, sandbox: false, merchant_uid: 'order_1' }, expected)).toMatchObject({
      reason: 'amount',
    });
  });
});
