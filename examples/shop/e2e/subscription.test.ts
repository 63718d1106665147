import assert from 'node:assert/strict';
import type { Page } from 'playwright';
import type { BillingMode } from '../src/shared/api.js';
import { shownCount, webhookAnswered } from './flows.js';
import { checkAccessibility, type Issuance, screenshot, type TestContext, test, waitFor } from './harness.js';

// Subscriptions: a billing key issued in the phone window, then monthly charges under KG Mobilians' rule
// on the sandbox's clock, moved forward from the page: charged by the shop on demand, or scheduled with
// PortOne. Every test runs twice: on a sandbox where issuing the key charges the first month (PortOne's
// Korean guides), and on one where it charges nothing (KG Mobilians' English guide) and the shop charges
// the first month with the key itself. The first month is paid exactly once either way.
// These run last: they move the clock, which every later payment would be dated by.

async function subscribe(page: Page, context: TestContext, billing: BillingMode = 'on-demand'): Promise<string> {
  await page.goto(`${context.shop.url}/subscription`);
  await page.getByRole('heading', { name: '월간 녹차 정기배송' }).waitFor();
  await checkAccessibility(page, 'the subscription offer');
  if (billing === 'scheduled') await page.getByRole('radio', { name: /PortOne 예약 결제/ }).check();
  await page.getByRole('button', { name: '구독 신청하기' }).click();
  await page.waitForURL(/\/subscriptions\/sub_/);
  await page.getByRole('button', { name: '정기결제 등록하기' }).waitFor();
  return new URL(page.url()).pathname.split('/').at(-1) ?? '';
}

const chargesFor = (context: TestContext, customerUid: string) =>
  [...(context.shop.sandbox?.store.payments.values() ?? [])].filter((payment) => payment.customer_uid === customerUid);

/** What the buyer reads once the first month is paid, by what issuing the key did. */
const FIRST_MONTH_TEXT: Record<Issuance, string> = {
  charges: '정기결제가 등록되었습니다. 첫 달 요금 9,900원은 등록과 함께 결제되었습니다.',
  'charges-nothing':
    '정기결제가 등록되었습니다. 등록할 때는 결제되지 않아 첫 달 요금 9,900원을 빌링키로 따로 결제했습니다.',
};

/**
 * The key's payments at the sandbox once the first month is paid: [status, amount, usage]. Issuing charged
 * 9,900원, or 0 and then one `again` of 9,900원: 9,900원 paid once.
 */
const FIRST_MONTH_PAYMENTS: Record<Issuance, [string, number, string | null][]> = {
  charges: [['paid', 9_900, 'issue']],
  'charges-nothing': [
    ['paid', 0, 'issue'],
    ['paid', 9_900, 'payment'],
  ],
};

/** The key's payments other than scheduled charges are the first month's, paid exactly once. */
function assertFirstMonthPaidOnce(context: TestContext, customerUid: string) {
  assert.deepEqual(
    chargesFor(context, customerUid)
      .filter((payment) => payment.customer_uid_usage !== 'payment.scheduled')
      .map((payment) => [payment.status, payment.amount, payment.customer_uid_usage]),
    FIRST_MONTH_PAYMENTS[context.issuance],
    'the first month paid exactly once',
  );
}

/** `YYYY-MM` in Seoul of the sandbox clock's now. */
const seoulMonthNow = (context: TestContext) =>
  new Date((context.shop.sandbox?.clock.now() ?? 0) + 9 * 3_600_000).toISOString().slice(0, 7);

/** The subscription's orders as the shop has them: [kind, status], the window's own first. */
const FIRST_MONTH_ORDERS: Record<Issuance, [string, string][]> = {
  charges: [['subscription-first', 'paid']],
  // The window's order charged nothing and stays unpaid; the first month is a charge of its own.
  'charges-nothing': [
    ['subscription-first', 'pending'],
    ['subscription-month', 'paid'],
  ],
};

for (const issuance of ['charges', 'charges-nothing'] as const) {
  const suffix = issuance === 'charges' ? 'issuing charges' : 'issuing charges nothing';

  test(
    `subscription (${suffix}): a billing key issued in the phone window, the first month paid once`,
    async (context) => {
      const page = await context.openPage('desktop');
      const id = await subscribe(page, context);
      // The demo's footer says what issuing a key does on this sandbox.
      assert.match(
        (await page.getByTestId('sandbox-issuance').textContent()) ?? '',
        issuance === 'charges' ? /첫 달 요금이 함께 결제됩니다/ : /발급할 때는 결제되지 않습니다/,
      );
      await checkAccessibility(page, 'a subscription to register');
      await page.getByRole('button', { name: '정기결제 등록하기' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: '인증번호 받기' }).click();
      // The kit's status line says the window is open, for screen readers only (hideStatus).
      await page.getByText('결제창에서 결제를 진행해 주세요.').waitFor({ state: 'attached' });
      assert.equal(await shownCount(page, '결제창에서 결제를 진행해 주세요.'), 0);
      await dialog.getByLabel('인증번호 (숫자 6자리)').fill('654321');
      await screenshot(page, `billing-key-window-${issuance}`);
      await dialog.getByRole('button', { name: '9,900원 등록하기' }).click();

      const notice = page.getByRole('status').filter({ hasText: FIRST_MONTH_TEXT[issuance] });
      await notice.waitFor();
      await page.getByTestId('subscription-status').filter({ hasText: '구독 중' }).waitFor();
      // The registration button went away: the focus is on the news, not lost to <body>.
      await waitFor('the focus on the notice', () =>
        page.evaluate(() => document.activeElement?.classList.contains('notice') === true),
      );
      await checkAccessibility(page, 'an active subscription');
      await screenshot(page, `subscription-active-${issuance}`);

      const subscription = context.shop.db.getSubscription(id);
      assert.equal(subscription?.status, 'active');
      assert.equal(subscription?.firstCharge, issuance === 'charges' ? 'paid-at-issuance' : 'not-charged');
      const customerUid = subscription?.customerUid ?? '';
      const key = context.shop.sandbox?.store.customers.get(customerUid);
      assert.equal(key?.pg_id, '170622040674', 'issued on the billing MID');
      await context.shop.sandbox?.webhooks.settled();
      assert.deepEqual(
        chargesFor(context, customerUid).map((payment) => [payment.status, payment.amount, payment.customer_uid_usage]),
        FIRST_MONTH_PAYMENTS[issuance],
        'the first month paid exactly once',
      );
      assert.deepEqual(
        context.shop.db.subscriptionOrders(id).map((order) => [order.kind, order.status]),
        FIRST_MONTH_ORDERS[issuance],
      );
      // The page lists what was paid: one row of 9,900원, paid.
      assert.deepEqual(
        await page
          .locator('[data-merchant-uid] [data-order-status]')
          .evaluateAll((badges) => badges.map((badge) => badge.getAttribute('data-order-status'))),
        ['paid'],
      );
    },
    { issuance },
  );

  test(
    `subscription (${suffix}): on a phone the return page lands with the same message`,
    async (context) => {
      const page = await context.openPage('mobile', { outcome: 'approve' });
      const id = await subscribe(page, context);
      const returned = page.waitForURL(/\/payments\/return\?/, { waitUntil: 'commit' });
      await page.getByRole('button', { name: '정기결제 등록하기' }).click();
      await returned;
      await page.waitForURL(`**/subscriptions/${id}`, { waitUntil: 'commit' });
      await page.getByRole('status').filter({ hasText: FIRST_MONTH_TEXT[issuance] }).waitFor();
      await page.getByTestId('subscription-status').filter({ hasText: '구독 중' }).waitFor();
      assert.equal(new URL(page.url()).search, '', 'no result left in the address bar');
      await checkAccessibility(page, 'an active subscription on a phone');
      await screenshot(page, `mobile-subscription-active-${issuance}`);
      await context.shop.sandbox?.webhooks.settled();
      assertFirstMonthPaidOnce(context, context.shop.db.getSubscription(id)?.customerUid ?? '');
      assert.deepEqual(
        context.shop.db.subscriptionOrders(id).map((order) => [order.kind, order.status]),
        FIRST_MONTH_ORDERS[issuance],
      );
    },
    { issuance },
  );

  if (issuance === 'charges-nothing') {
    test(
      `subscription (${suffix}): a first charge PortOne refused is charged again from the page, once`,
      async (context) => {
        const sandbox = context.shop.sandbox;
        assert.ok(sandbox);
        const page = await context.openPage('desktop', { outcome: 'approve' });
        const id = await subscribe(page, context);
        const charges = () => sandbox.requests.filter((entry) => entry.route === 'POST /subscribe/payments/again');
        const chargesBefore = charges().length;
        sandbox.faults.set('POST /subscribe/payments/again', { status: 400, times: 1 });
        await page.getByRole('button', { name: '정기결제 등록하기' }).click();
        await page.getByRole('alert').filter({ hasText: 'PortOne이 결제 요청을 거절했습니다' }).waitFor();
        // The kit's own status line is for screen readers only: the page's notice says it once.
        assert.equal(await shownCount(page, 'PortOne이 결제 요청을 거절했습니다'), 1, 'the reason is shown once');
        // The key is issued and nothing is paid: the page offers the first month, not a second key.
        await page.getByTestId('subscription-status').filter({ hasText: '첫 달 결제 대기' }).waitFor();
        assert.equal(await page.getByRole('button', { name: '정기결제 등록하기' }).count(), 0);
        const customerUid = context.shop.db.getSubscription(id)?.customerUid ?? '';
        assert.deepEqual(
          chargesFor(context, customerUid).map((payment) => [payment.status, payment.amount]),
          [['paid', 0]],
          'nothing charged yet',
        );
        await checkAccessibility(page, 'a subscription whose first month is due');

        await page.getByRole('button', { name: '첫 달 요금 결제하기' }).dblclick();
        await page.getByRole('status').filter({ hasText: FIRST_MONTH_TEXT[issuance] }).waitFor();
        await page.getByTestId('subscription-status').filter({ hasText: '구독 중' }).waitFor();
        assert.equal(charges().length, chargesBefore + 2, 'the refused charge, then one for two clicks');
        await context.shop.sandbox?.webhooks.settled();
        assertFirstMonthPaidOnce(context, customerUid);
        assert.deepEqual(
          context.shop.db.subscriptionOrders(id).map((order) => [order.merchantUid.slice(id.length), order.status]),
          [
            ['_first', 'pending'],
            ['_first_charge', 'paid'],
          ],
        );
      },
      { issuance },
    );
  }

  test(
    `subscription (${suffix}): a charge next month is paid once; a second one that month is refused by the rule`,
    async (context) => {
      const sandbox = context.shop.sandbox;
      assert.ok(sandbox);
      const page = await context.openPage('desktop', { outcome: 'approve' });
      const id = await subscribe(page, context);
      await page.getByRole('button', { name: '정기결제 등록하기' }).click();
      await page.getByTestId('subscription-status').filter({ hasText: '구독 중' }).waitFor();
      const customerUid = context.shop.db.getSubscription(id)?.customerUid ?? '';
      const firstMonth = seoulMonthNow(context);
      // Charge requests the sandbox carried out (a 401 for a token the clock jump expired did nothing).
      const charges = () =>
        sandbox.requests.filter((entry) => entry.route === 'POST /subscribe/payments/again' && entry.status !== 401)
          .length;
      const chargesBefore = charges();
      const chargeButton = page.getByRole('button', { name: '이번 달 요금 청구' });

      // Same month as the first payment: the shop refuses before asking PortOne.
      await chargeButton.click();
      await page
        .getByRole('alert')
        .filter({ hasText: `첫 결제를 한 달(${firstMonth})에는 다시 청구할 수 없습니다.` })
        .waitFor();
      assert.equal(charges(), chargesBefore);

      // The first charge's day next month: a double click sends one charge.
      const clock = (await page.getByTestId('clock').textContent()) ?? '';
      await page.getByRole('button', { name: '다음 결제일로 시계 이동' }).click();
      await waitFor('the clock moved', async () => ((await page.getByTestId('clock').textContent()) ?? '') !== clock);
      const month = seoulMonthNow(context);
      await chargeButton.dblclick();
      await page
        .getByRole('status')
        .filter({ hasText: `${month} 정기결제가 완료되었습니다.` })
        .waitFor();
      assert.equal(charges(), chargesBefore + 1, 'one charge for two clicks');

      // A second charge that month: refused by the rule, never sent.
      await chargeButton.click();
      await page
        .getByRole('alert')
        .filter({ hasText: `${month}에는 이미 결제했습니다` })
        .waitFor();
      assert.equal(charges(), chargesBefore + 1);
      await screenshot(page, `subscription-second-month-${issuance}`);
      assert.deepEqual(
        chargesFor(context, customerUid).map((payment) => [payment.status, payment.customer_uid_usage]),
        [...FIRST_MONTH_PAYMENTS[issuance].map(([status, , usage]) => [status, usage]), ['paid', 'payment']],
      );
      assert.deepEqual(
        context.shop.db.subscriptionOrders(id).map((order) => [order.kind, order.status]),
        [...FIRST_MONTH_ORDERS[issuance], ['subscription-month', 'paid']],
      );

      // Cancelling deletes the key at PortOne, and the offer no longer points at the subscription.
      await page.getByRole('button', { name: '구독 해지하기' }).click();
      await page.getByRole('button', { name: '해지하기', exact: true }).click();
      await page.getByTestId('subscription-status').filter({ hasText: '해지됨' }).waitFor();
      assert.equal(sandbox.store.customers.has(customerUid), false, 'the billing key is gone');
      await waitFor('the focus on the notice', () =>
        page.evaluate(() => document.activeElement?.classList.contains('notice') === true),
      );
      await checkAccessibility(page, 'a cancelled subscription');
      await page.goto(`${context.shop.url}/subscription`);
      await page.getByRole('button', { name: '구독 신청하기' }).waitFor();
      // Remembered by another tab that did not see the cancel: the page asks the server, and forgets it.
      await page.evaluate((saved) => localStorage.setItem('shop:subscription', saved), id);
      await page.reload();
      await page.getByRole('button', { name: '구독 신청하기' }).waitFor();
      await waitFor('the cancelled subscription forgotten', () =>
        page.evaluate(() => localStorage.getItem('shop:subscription') === null),
      );
      assert.equal(await page.getByRole('link', { name: '진행 중인 구독 보기' }).count(), 0);
    },
    { issuance },
  );

  test(
    `subscription (${suffix}): scheduled with PortOne, the charge runs on its due date and is paid once`,
    async (context) => {
      const sandbox = context.shop.sandbox;
      assert.ok(sandbox);
      const page = await context.openPage('desktop', { outcome: 'approve' });
      const id = await subscribe(page, context, 'scheduled');
      await page.getByRole('button', { name: '정기결제 등록하기' }).click();
      await page.getByTestId('subscription-status').filter({ hasText: '구독 중' }).waitFor();
      assert.equal(
        await page.getByRole('button', { name: '이번 달 요금 청구' }).count(),
        0,
        'PortOne charges, not a button',
      );
      const customerUid = context.shop.db.getSubscription(id)?.customerUid ?? '';

      // Once the first month is paid, the next one is registered with PortOne's schedule.
      await page.getByTestId('scheduled-charge').waitFor();
      const [scheduled] = context.shop.db.schedulesOf(id);
      assert.ok(scheduled, 'a charge is scheduled');
      const atPortone = sandbox.store.schedules.get(scheduled.merchantUid);
      assert.equal(atPortone?.schedule_status, 'scheduled');
      assert.equal(atPortone?.customer_uid, customerUid);
      assert.equal(atPortone?.amount, 9_900);
      assert.equal(atPortone.schedule_at * 1000, scheduled.scheduleAtMs);
      assert.equal(context.shop.db.getOrder(scheduled.merchantUid)?.status, 'pending');
      await checkAccessibility(page, 'a scheduled subscription');

      // The sandbox clock moved to the due date: the schedule runs, its webhook comes, the order is paid.
      await page.getByRole('button', { name: '다음 결제일로 시계 이동' }).click();
      assert.equal((await webhookAnswered(context, scheduled.merchantUid)).status, 200);
      await page
        .locator(`[data-merchant-uid="${scheduled.merchantUid}"] [data-order-status="paid"]`)
        .waitFor({ timeout: 20_000 });
      assert.equal(sandbox.store.schedules.get(scheduled.merchantUid)?.schedule_status, 'executed');
      const payments = sandbox.store.paymentsFor(scheduled.merchantUid);
      assert.deepEqual(
        payments.map((payment) => [payment.status, payment.amount, payment.customer_uid_usage]),
        [['paid', 9_900, 'payment.scheduled']],
        'the schedule charged once',
      );
      assert.equal(sandbox.store.schedules.get(scheduled.merchantUid)?.imp_uid, payments[0]?.imp_uid);
      const order = context.shop.db.getOrder(scheduled.merchantUid);
      assert.equal(order?.status, 'paid');
      assert.equal(order?.impUid, payments[0]?.imp_uid);
      assert.deepEqual(
        context.shop.db.paymentEvents(scheduled.merchantUid).map((event) => [event.payment_status, event.source]),
        [['paid', 'webhook']],
        'applied once',
      );

      // The webhook again (PortOne retries) changes nothing; moving the clock a day runs nothing more.
      const again = await fetch(`${context.shop.url}/api/portone/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ imp_uid: payments[0]?.imp_uid, merchant_uid: scheduled.merchantUid, status: 'paid' }),
      });
      assert.equal(again.status, 200);
      assert.equal(context.shop.db.paymentEvents(scheduled.merchantUid).length, 1);
      sandbox.clock.advance(24 * 3_600_000);
      assert.equal(sandbox.store.paymentsFor(scheduled.merchantUid).length, 1);

      // The month after is scheduled in its turn.
      const next = await waitFor('the next month scheduled', () =>
        context.shop.db.schedulesOf(id).find((entry) => entry.status === 'scheduled'),
      );
      assert.notEqual(next.merchantUid, scheduled.merchantUid);
      assert.equal(sandbox.store.schedules.get(next.merchantUid)?.schedule_status, 'scheduled');
      await screenshot(page, `subscription-scheduled-${issuance}`);

      // Cancelling revokes the pending schedule, then deletes the key.
      await page.reload();
      await page.getByRole('button', { name: '구독 해지하기' }).click();
      await page.getByRole('button', { name: '해지하기', exact: true }).click();
      await page.getByTestId('subscription-status').filter({ hasText: '해지됨' }).waitFor();
      assert.equal(sandbox.store.schedules.get(next.merchantUid)?.schedule_status, 'revoked');
      assert.equal(context.shop.db.getOrder(next.merchantUid)?.status, 'cancelled');
      assert.equal(sandbox.store.customers.has(customerUid), false);
      assertFirstMonthPaidOnce(context, customerUid);
    },
    { issuance },
  );
}
