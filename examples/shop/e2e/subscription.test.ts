import assert from 'node:assert/strict';
import type { Page } from 'playwright';
import { checkAccessibility, screenshot, type TestContext, test } from './harness.js';

// Subscriptions: a billing key issued in the phone window (the first month is paid with it), then
// monthly charges under KG Mobilians' rule on the sandbox's clock, moved forward from the page.
// These run last: they move the clock, which every later payment would be dated by.

async function subscribe(page: Page, context: TestContext): Promise<string> {
  await page.goto(`${context.shop.url}/subscription`);
  await page.getByRole('heading', { name: '월간 녹차 정기배송' }).waitFor();
  await checkAccessibility(page, 'the subscription offer');
  await page.getByRole('button', { name: '구독 신청하기' }).click();
  await page.waitForURL(/\/subscriptions\/sub_/);
  await page.getByRole('button', { name: '정기결제 등록하기' }).waitFor();
  return new URL(page.url()).pathname.split('/').at(-1) ?? '';
}

const chargesFor = (context: TestContext, customerUid: string) =>
  [...(context.shop.sandbox?.store.payments.values() ?? [])].filter((payment) => payment.customer_uid === customerUid);

test('subscription: a billing key issued in the phone window pays the first month', async (context) => {
  const page = await context.openPage('desktop');
  const id = await subscribe(page, context);
  await checkAccessibility(page, 'a subscription to register');
  await page.getByRole('button', { name: '정기결제 등록하기' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: '인증번호 받기' }).click();
  await dialog.getByLabel('인증번호 (숫자 6자리)').fill('654321');
  await screenshot(page, 'billing-key-window');
  await dialog.getByRole('button', { name: '9,900원 등록하기' }).click();

  await page.getByRole('status').filter({ hasText: '정기결제가 등록되고 첫 달 결제가 완료되었습니다.' }).waitFor();
  await page.getByTestId('subscription-status').filter({ hasText: '구독 중' }).waitFor();
  await checkAccessibility(page, 'an active subscription');
  await screenshot(page, 'subscription-active');

  const subscription = context.shop.db.getSubscription(id);
  assert.equal(subscription?.status, 'active');
  const customerUid = subscription?.customerUid ?? '';
  const key = context.shop.sandbox?.store.customers.get(customerUid);
  assert.equal(key?.pg_id, '170622040674', 'issued on the billing MID');
  assert.deepEqual(
    chargesFor(context, customerUid).map((payment) => [payment.status, payment.amount, payment.customer_uid_usage]),
    [['paid', 9_900, 'issue']],
  );
});

test('subscription: a charge next month is paid once; a second one that month is refused by the rule', async (context) => {
  const sandbox = context.shop.sandbox;
  assert.ok(sandbox);
  const page = await context.openPage('desktop', { outcome: 'approve' });
  const id = await subscribe(page, context);
  await page.getByRole('button', { name: '정기결제 등록하기' }).click();
  await page.getByTestId('subscription-status').filter({ hasText: '구독 중' }).waitFor();
  const customerUid = context.shop.db.getSubscription(id)?.customerUid ?? '';
  // Charge requests the sandbox carried out (a 401 for a token the clock jump expired did nothing).
  const charges = () =>
    sandbox.requests.filter((entry) => entry.route === 'POST /subscribe/payments/again' && entry.status !== 401).length;
  const chargesBefore = charges();
  const chargeButton = page.getByRole('button', { name: '이번 달 요금 청구' });

  // Same month as the first payment: the shop refuses before asking PortOne.
  await chargeButton.click();
  await page.getByRole('alert').filter({ hasText: '첫 결제를 한 달(2026-06)에는 다시 청구할 수 없습니다.' }).waitFor();
  assert.equal(charges(), chargesBefore);

  // The first charge's day next month: a double click sends one charge.
  await page.getByRole('button', { name: '다음 결제일로 시계 이동' }).click();
  await page.getByTestId('clock').filter({ hasText: '2026-07-10' }).waitFor();
  await chargeButton.dblclick();
  await page.getByRole('status').filter({ hasText: '2026-07 정기결제가 완료되었습니다.' }).waitFor();
  assert.equal(charges(), chargesBefore + 1, 'one charge for two clicks');

  // A second charge that month: refused by the rule, never sent.
  await chargeButton.click();
  await page.getByRole('alert').filter({ hasText: '2026-07에는 이미 결제했습니다' }).waitFor();
  assert.equal(charges(), chargesBefore + 1);
  await screenshot(page, 'subscription-second-month');
  assert.deepEqual(
    chargesFor(context, customerUid).map((payment) => [payment.status, payment.customer_uid_usage]),
    [
      ['paid', 'issue'],
      ['paid', 'payment'],
    ],
  );
  assert.deepEqual(
    context.shop.db.subscriptionOrders(id).map((order) => [order.kind, order.status]),
    [
      ['subscription-first', 'paid'],
      ['subscription-month', 'paid'],
    ],
  );

  // Cancelling deletes the key at PortOne.
  await page.getByRole('button', { name: '구독 해지하기' }).click();
  await page.getByRole('button', { name: '해지하기', exact: true }).click();
  await page.getByTestId('subscription-status').filter({ hasText: '해지됨' }).waitFor();
  assert.equal(sandbox.store.customers.has(customerUid), false, 'the billing key is gone');
  await checkAccessibility(page, 'a cancelled subscription');
});
