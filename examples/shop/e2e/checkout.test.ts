import assert from 'node:assert/strict';
import {
  orderOf,
  payButton,
  paymentWindow,
  placeOrder,
  sandboxPayments,
  shownCount,
  tamperWithAmount,
  webhookAnswered,
} from './flows.js';
import { checkAccessibility, screenshot, test, waitFor } from './harness.js';

// Desktop checkout: the sandbox's payment window answers by callback, in the page.

test('desktop: a card payment through the window is verified by the server and shown paid', async (context) => {
  const page = await context.openPage('desktop');
  await page.goto(context.shop.url);
  await page.getByText('제주 녹차 샘플러').waitFor();
  await checkAccessibility(page, 'the cart');
  await screenshot(page, 'cart');
  const merchantUid = await placeOrder(page, context, 2);
  assert.equal(await page.getByTestId('order-amount').textContent(), '19,800원');
  await checkAccessibility(page, 'an order to pay');

  await payButton(page).click();
  const dialog = paymentWindow(page);
  await dialog.waitFor();
  await screenshot(page, 'payment-window-card');
  await dialog.getByRole('button', { name: '19,800원 결제하기' }).click();

  await page.getByRole('status').filter({ hasText: '결제가 완료되었습니다.' }).waitFor();
  assert.equal(await page.locator('[data-order-status]').getAttribute('data-order-status'), 'paid');
  assert.equal(await payButton(page).count(), 0, 'a paid order offers no payment');
  await checkAccessibility(page, 'a paid order');
  await screenshot(page, 'order-paid');

  const payments = sandboxPayments(context, merchantUid);
  assert.deepEqual(
    payments.map((payment) => [payment.status, payment.amount, payment.pay_method, payment.channel]),
    [['paid', 19_800, 'card', 'pc']],
  );
  const order = orderOf(context, merchantUid);
  assert.equal(order.status, 'paid');
  assert.equal(order.impUid, payments[0]?.imp_uid);
  await webhookAnswered(context, merchantUid);
  const events = context.shop.db.paymentEvents(merchantUid);
  assert.equal(events.filter((event) => event.payment_status === 'paid').length, 1, 'the payment applied once');
});

test('desktop: a declined account transfer shows why, and the order can be paid again', async (context) => {
  const page = await context.openPage('desktop');
  const merchantUid = await placeOrder(page, context);
  await page.getByRole('radio', { name: '계좌이체' }).check();
  await payButton(page).click();
  const dialog = paymentWindow(page);
  await dialog.getByLabel('실패 사유').selectOption({ label: 'LIMIT_EXCEEDED 월 결제 한도를 초과했습니다' });
  await dialog.getByRole('button', { name: '선택한 실패로 끝내기' }).click();

  await page.getByRole('alert').filter({ hasText: '월 결제 한도를 초과했습니다' }).first().waitFor();
  await waitFor('the order marked failed', () => orderOf(context, merchantUid).status === 'failed');
  // The server writes the order before its answer reaches the page: wait for the page to show it.
  await page.locator('[data-order-status="failed"]').waitFor();
  assert.equal(await page.locator('[data-order-status]').getAttribute('data-order-status'), 'failed');
  assert.equal(await payButton(page).getAttribute('aria-disabled'), null, 'the order can be paid again');
  await checkAccessibility(page, 'a declined order');
  await screenshot(page, 'order-declined');

  const payments = sandboxPayments(context, merchantUid);
  assert.deepEqual(
    payments.map((payment) => [payment.status, payment.pay_method]),
    [['failed', 'trans']],
  );
});

test('desktop: paid on a retry after a decline, the page says paid only, and the focus stays on the news', async (context) => {
  const page = await context.openPage('desktop');
  const merchantUid = await placeOrder(page, context);
  await payButton(page).click();
  const dialog = paymentWindow(page);
  await dialog.getByLabel('실패 사유').selectOption({ label: 'LIMIT_EXCEEDED 월 결제 한도를 초과했습니다' });
  await dialog.getByRole('button', { name: '선택한 실패로 끝내기' }).click();
  await page.getByRole('alert').filter({ hasText: '월 결제 한도를 초과했습니다' }).waitFor();
  // The page's notice says why; the kit's status line under the button is for screen readers only.
  assert.equal(await shownCount(page, '월 결제 한도를 초과했습니다'), 1, 'the reason is shown once');
  await waitFor('the order marked failed', () => orderOf(context, merchantUid).status === 'failed');

  // The retry, by keyboard: the pay button has the focus when the window closes on the payment.
  await payButton(page).focus();
  await page.keyboard.press('Enter');
  await dialog.getByRole('button', { name: '9,900원 결제하기' }).click();
  await page.getByRole('status').filter({ hasText: '결제가 완료되었습니다.' }).waitFor();
  assert.equal(await page.locator('[data-order-status]').getAttribute('data-order-status'), 'paid');
  assert.equal(await page.getByRole('alert').count(), 0, 'no failure notice beside 결제 완료');
  assert.equal(await page.locator('.notice-error').count(), 0);
  assert.equal(await payButton(page).count(), 0);
  await waitFor('the focus on the notice', () =>
    page.evaluate(() => document.activeElement?.classList.contains('notice') === true),
  );
  assert.equal(
    await page.evaluate(() => document.activeElement?.textContent),
    '결제가 완료되었습니다.',
    'the focus is on the news, not lost to <body>',
  );
  await checkAccessibility(page, 'an order paid on a retry');
  await screenshot(page, 'order-paid-on-retry');
  assert.deepEqual(
    sandboxPayments(context, merchantUid).map((payment) => payment.status),
    ['failed', 'paid'],
  );
});

test('desktop: a buyer who closes the window is charged nothing and can pay later', async (context) => {
  const page = await context.openPage('desktop');
  const merchantUid = await placeOrder(page, context);
  await page.getByRole('radio', { name: '휴대폰 소액결제' }).check();
  await payButton(page).click();
  await paymentWindow(page).getByRole('button', { name: '결제창 닫기' }).click();

  await page.getByRole('status').filter({ hasText: '결제창을 닫았습니다. 다시 결제할 수 있습니다.' }).waitFor();
  await waitFor('the buyer-closed payment recorded', () => orderOf(context, merchantUid).impUid !== null);
  assert.equal(orderOf(context, merchantUid).status, 'pending');
  assert.equal(await paymentWindow(page).count(), 0);
  assert.equal(await payButton(page).getAttribute('aria-disabled'), null);
  const payments = sandboxPayments(context, merchantUid);
  assert.deepEqual(
    payments.map((payment) => payment.status),
    ['ready'],
    'the sandbox recorded an abandoned payment, nothing paid',
  );
});

test('desktop: a double click on order and pay makes one order and one payment', async (context) => {
  const page = await context.openPage('desktop');
  await page.goto(context.shop.url);
  const ordersBefore = context.shop.db.listOrders({ limit: 1000 }).length;
  await page.getByRole('button', { name: '주문하기' }).dblclick();
  await page.waitForURL(/\/orders\/ord_/);
  const merchantUid = (await page.getByTestId('merchant-uid').textContent()) ?? '';
  assert.equal(context.shop.db.listOrders({ limit: 1000 }).length, ordersBefore + 1, 'one order for two clicks');

  await payButton(page).dblclick();
  const dialog = paymentWindow(page);
  await dialog.waitFor();
  assert.equal(await dialog.count(), 1, 'one window for two clicks');
  await dialog.getByRole('button', { name: '9,900원 결제하기' }).click();
  await page.getByRole('status').filter({ hasText: '결제가 완료되었습니다.' }).waitFor();
  await webhookAnswered(context, merchantUid);
  const payments = sandboxPayments(context, merchantUid);
  assert.equal(payments.length, 1, 'the sandbox holds one payment for the order');
  assert.equal(payments[0]?.status, 'paid');
});

test('desktop: an amount changed in the browser is blocked by the prepared amount', async (context) => {
  const page = await context.openPage('desktop', { outcome: 'approve' });
  await tamperWithAmount(page, 100);
  const merchantUid = await placeOrder(page, context);
  assert.equal(context.shop.sandbox?.store.prepared.get(merchantUid)?.amount, 9_900, 'the server prepared 9,900원');
  await payButton(page).click();

  await page
    .getByRole('alert')
    .filter({ hasText: '사전 등록된 결제금액(9900원)과 요청 금액(100원)이 다릅니다' })
    .waitFor();
  assert.deepEqual(sandboxPayments(context, merchantUid), [], 'no payment was made');
  assert.notEqual(orderOf(context, merchantUid).status, 'paid');
});

test('desktop: an amount changed in the browser is refused by the server and refunded', async (context) => {
  const sandbox = context.shop.sandbox;
  assert.ok(sandbox);
  const page = await context.openPage('desktop', { outcome: 'approve' });
  await tamperWithAmount(page, 100);
  // PortOne fails to register the amount: the window lets 100원 through, and verification must catch it.
  sandbox.faults.set('POST /payments/prepare', { status: 500, times: 1 });
  const merchantUid = await placeOrder(page, context);
  assert.equal(sandbox.store.prepared.get(merchantUid), undefined);
  await payButton(page).click();

  await page.getByRole('alert').filter({ hasText: '결제 금액(100원)이 주문 금액(9,900원)과 달라' }).waitFor();
  await page.getByText('환불이 완료되었습니다.').waitFor();
  await checkAccessibility(page, 'a refused order');
  await screenshot(page, 'order-refused');
  await webhookAnswered(context, merchantUid);

  const order = orderOf(context, merchantUid);
  assert.equal(order.status, 'refused');
  assert.equal(order.refund, 'done');
  const payments = sandboxPayments(context, merchantUid);
  assert.equal(payments.length, 1);
  assert.equal(payments[0]?.amount, 100);
  assert.equal(payments[0]?.status, 'cancelled', 'the sandbox refunded the payment');
  assert.equal(payments[0]?.cancel_history.length, 1, 'refunded once, though the webhook came too');
});

test('desktop: a stale tab that pays a refused order again gets that payment refunded once', async (context) => {
  const sandbox = context.shop.sandbox;
  assert.ok(sandbox);
  const page = await context.openPage('desktop', { outcome: 'approve' });
  await tamperWithAmount(page, 100);
  sandbox.faults.set('POST /payments/prepare', { status: 500, times: 1 });
  const merchantUid = await placeOrder(page, context);
  // A second tab on the same order, opened before the payment, still offers to pay.
  const stale = await page.context().newPage();
  await stale.goto(page.url());
  await payButton(stale).waitFor();

  await payButton(page).click();
  await page.getByText('환불이 완료되었습니다.').waitFor();
  await webhookAnswered(context, merchantUid);
  await payButton(stale).click();
  await waitFor('both payments refunded', () =>
    sandboxPayments(context, merchantUid).every((payment) => payment.status === 'cancelled') &&
    sandboxPayments(context, merchantUid).length === 2
      ? true
      : null,
  );
  await sandbox.webhooks.settled();

  const payments = sandboxPayments(context, merchantUid);
  assert.deepEqual(
    payments.map((payment) => [payment.amount, payment.status, payment.cancel_history.length]),
    [
      [100, 'cancelled', 1],
      [9_900, 'cancelled', 1],
    ],
    'each payment refunded once, though the browser and the webhook both saw it',
  );
  const order = orderOf(context, merchantUid);
  assert.equal(order.status, 'refused', 'the order stays as it was');
  assert.equal(order.impUid, payments[0]?.imp_uid);
  assert.deepEqual(
    context.shop.db.refundsOf(merchantUid).map((entry) => [entry.imp_uid, entry.checksum, entry.status]),
    payments.map((payment) => [payment.imp_uid, payment.amount, 'done']),
  );
});

test('desktop: a refund PortOne failed is sent again by the retry, with the same checksum', async (context) => {
  const sandbox = context.shop.sandbox;
  assert.ok(sandbox);
  const page = await context.openPage('desktop', { outcome: 'approve' });
  await tamperWithAmount(page, 100);
  sandbox.faults.set('POST /payments/prepare', { status: 500, times: 1 });
  sandbox.faults.set('POST /payments/cancel', { status: 500, times: 1 });
  const merchantUid = await placeOrder(page, context);
  await payButton(page).click();
  await page.getByText('환불을 다시 시도하고 있습니다.').waitFor();
  await webhookAnswered(context, merchantUid);
  assert.equal(orderOf(context, merchantUid).refund, 'failed');
  assert.equal(sandboxPayments(context, merchantUid)[0]?.status, 'paid', 'nothing refunded yet');

  await context.shop.retryRefunds();
  assert.equal(orderOf(context, merchantUid).refund, 'done');
  await page.getByText('환불이 완료되었습니다.').waitFor();
  const payments = sandboxPayments(context, merchantUid);
  assert.equal(payments[0]?.status, 'cancelled');
  assert.equal(payments[0]?.cancel_history.length, 1);
  await context.shop.retryRefunds();
  assert.equal(sandboxPayments(context, merchantUid)[0]?.cancel_history.length, 1, 'a done refund is not sent again');
});

test('desktop: the webhook comes first; the browser finds the order paid, applied once', async (context) => {
  const page = await context.openPage('desktop', { outcome: 'approve' });
  const merchantUid = await placeOrder(page, context);
  // The browser's report waits until the webhook has been handled.
  await page.route('**/api/payments/sync', async (route) => {
    await webhookAnswered(context, merchantUid);
    await route.continue();
  });
  await payButton(page).click();
  await page.getByRole('status').filter({ hasText: '결제가 완료되었습니다.' }).waitFor();
  const events = context.shop.db.paymentEvents(merchantUid);
  assert.deepEqual(
    events.map((event) => [event.payment_status, event.source, event.outcome]),
    [['paid', 'webhook', 'paid']],
  );
  assert.equal(sandboxPayments(context, merchantUid).length, 1);
});

test('desktop: the browser comes first; a late webhook changes nothing', async (context) => {
  const page = await context.openPage('desktop', { outcome: 'approve' });
  const merchantUid = await placeOrder(page, context);
  context.gate.hold();
  await payButton(page).click();
  await page.getByRole('status').filter({ hasText: '결제가 완료되었습니다.' }).waitFor();
  const before = orderOf(context, merchantUid);
  await context.gate.release();
  const answer = await webhookAnswered(context, merchantUid);
  assert.equal(answer.status, 200);
  assert.deepEqual(orderOf(context, merchantUid), before, 'the webhook left the order as it was');
  const events = context.shop.db.paymentEvents(merchantUid);
  assert.deepEqual(
    events.map((event) => [event.payment_status, event.source]),
    [['paid', 'browser']],
  );
});

test('desktop: a browser that never reports back still gets its order paid by the webhook', async (context) => {
  const page = await context.openPage('desktop', { outcome: 'approve' });
  const merchantUid = await placeOrder(page, context);
  await page.route('**/api/payments/sync', (route) => route.abort());
  const reportLost = page.waitForEvent('requestfailed', (request) => request.url().includes('/api/payments/sync'));
  await payButton(page).click();
  // The browser's report is lost. What the page says next depends on which comes first, the failed report
  // ("상점 서버에 연결하지 못했습니다") or the webhook's payment; both are right, so the test waits for the
  // lost report itself, then for the webhook.
  await reportLost;
  await webhookAnswered(context, merchantUid);
  assert.equal(orderOf(context, merchantUid).status, 'paid', 'the webhook alone paid the order');
  await page.unroute('**/api/payments/sync');
  await page.reload();
  await page.getByRole('status').filter({ hasText: '결제가 완료되었습니다.' }).waitFor();
});

test('accessibility: the order list, the return page without a result, and an unknown page', async (context) => {
  const page = await context.openPage('desktop');
  // The list shows this browser's orders only: make one here.
  const merchantUid = await placeOrder(page, context);
  await page.goto(`${context.shop.url}/orders`);
  await page.getByRole('table').waitFor();
  assert.deepEqual(
    await page
      .locator('[data-merchant-uid]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-merchant-uid'))),
    [merchantUid],
  );
  await checkAccessibility(page, 'the order list');
  await screenshot(page, 'orders');
  await page.goto(`${context.shop.url}/payments/return`);
  await page.getByText('확인할 결제 결과가 없습니다.').waitFor();
  await checkAccessibility(page, 'the return page without a result');
  await page.goto(`${context.shop.url}/nowhere`);
  await page.getByRole('heading', { name: '페이지를 찾을 수 없습니다' }).waitFor();
  await checkAccessibility(page, 'an unknown page');
});

test('privacy: another browser sees none of the orders, and a form post is refused', async (context) => {
  const page = await context.openPage('desktop');
  const merchantUid = await placeOrder(page, context);
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === 'shop_session');
  assert.equal(session?.httpOnly, true);
  assert.equal(session?.sameSite, 'Lax');

  const other = await context.openPage('desktop');
  await other.goto(context.shop.url);
  const seen = await other.evaluate(async (uid) => {
    const list = (await (await fetch('/api/orders')).json()) as unknown[];
    const one = await fetch(`/api/orders/${uid}`);
    const sync = await fetch('/api/payments/sync', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ merchantUid: uid, impUid: null }),
    });
    return { listed: list.length, read: one.status, sync: sync.status };
  }, merchantUid);
  assert.deepEqual(seen, { listed: 0, read: 404, sync: 404 });
  await other.goto(`${context.shop.url}/orders/${merchantUid}`);
  await other.getByRole('alert').filter({ hasText: '주문을 찾을 수 없습니다.' }).waitFor();

  // What a cross-site form can send (no JSON content type) changes nothing, even with the cookie.
  const formPost = await page.evaluate(async () => {
    const response = await fetch('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ requestId: 'form', items: [], buyerName: 'x', buyerTel: '010-1234-5678' }),
    });
    return response.status;
  });
  assert.equal(formPost, 400);
});
