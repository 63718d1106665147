import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createPortoneClient } from '@portone-kit/server';
import type { Order, PaymentSyncAnswer } from '../src/shared/api.js';
import { orderOf, sandboxPayments, shopSession, webhookAnswered } from './flows.js';
import { test, waitFor } from './harness.js';

// The shop's server alone, through its API: a payment refunded in part before the order is verified is
// never fulfilled, whichever report (the browser's or the webhook) comes first.

test('server: a payment refunded in part before verification is refused, and the rest refunded', async (context) => {
  const { shop, gate } = context;
  const sandbox = shop.sandbox;
  assert.ok(sandbox);
  const cookie = await shopSession(context);
  const api = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${shop.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
    assert.ok(response.ok, `${path} answered ${response.status}`);
    return (await response.json()) as T;
  };

  gate.hold();
  let merchantUid = '';
  try {
    const order = await api<Order>('/api/orders', {
      requestId: `refund_${randomBytes(6).toString('hex')}`,
      items: [{ sku: 'tea-sampler', quantity: 1 }],
      buyerName: '홍길동',
      buyerTel: '010-1234-5678',
    });
    merchantUid = order.merchantUid;
    // The buyer pays by card in the window; then, before the shop hears of it, 1,000원 is refunded.
    const paid = await fetch(`${sandbox.url}/sandbox/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        outcome: 'approve',
        params: { pg: 'mobilians', pay_method: 'card', merchant_uid: order.merchantUid, amount: order.amount },
      }),
    });
    const { response: windowAnswer } = (await paid.json()) as { response: { imp_uid: string; success: boolean } };
    assert.ok(windowAnswer.success);
    const portone = createPortoneClient({
      impKey: sandbox.impKey,
      impSecret: sandbox.impSecret,
      baseUrl: sandbox.url,
      includeSandbox: true,
    });
    await portone.cancelPayment({ impUid: windowAnswer.imp_uid, amount: 1000, checksum: order.amount });

    const answer = await api<PaymentSyncAnswer>('/api/payments/sync', {
      merchantUid: order.merchantUid,
      impUid: windowAnswer.imp_uid,
    });
    assert.equal(answer.verified, false);
    assert.equal(answer.order.status, 'refused');
    assert.match(answer.message, /일부가 이미 환불/);
    await waitFor('the rest refunded', () => (orderOf(context, order.merchantUid).refund === 'done' ? true : null));
  } finally {
    await gate.release();
  }
  // The held paid webhook arrives last and changes nothing: refused, and refunded once, in full.
  await webhookAnswered(context, merchantUid);
  assert.equal(orderOf(context, merchantUid).status, 'refused');
  const payments = sandboxPayments(context, merchantUid);
  assert.deepEqual(
    payments.map((payment) => [payment.status, payment.cancel_amount, payment.cancel_history.length]),
    [['cancelled', 9_900, 2]],
  );
});
