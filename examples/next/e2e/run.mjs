// `pnpm --filter example-next test:e2e` (after `next build`): every test in order; exits 1 when any failed.
import assert from 'node:assert/strict';
import { checkAccessibility, runAll, screenshot, test, waitFor } from './harness.mjs';

/** The order's pay button, in the page (the sandbox's window has a button of the same words). */
const payButton = (page) => page.getByRole('main').getByRole('button', { name: /원 결제하기$/ });
const paymentWindow = (page) => page.getByRole('dialog');

/** The kit's button once hydrated and its SDK loaded: only then does a click open the window. */
const buttonReady = (page) => page.locator('main button[data-status="ready"]').waitFor();

/** Puts `quantity` tea samplers (9,900원 each) in the cart and orders; answers the order's merchant_uid. */
async function placeOrder(page, context, quantity = 1) {
  await page.goto(context.url);
  await page.getByLabel('제주 녹차 샘플러 수량').fill(String(quantity));
  await page.getByRole('button', { name: '주문하기' }).click();
  await page.waitForURL(/\/orders\/ord_/);
  await page.getByRole('heading', { name: '주문 상세' }).waitFor();
  await buttonReady(page);
  return (await page.getByTestId('merchant-uid').textContent()) ?? '';
}

const orderStatus = (page) => page.locator('[data-order-status]').getAttribute('data-order-status');

async function htmlOf(url, cookie) {
  const response = await fetch(url, cookie ? { headers: { cookie } } : {});
  return { status: response.status, html: await response.text() };
}

test('server rendering: next start answers every page with its markup, and hydration warns of nothing', async (context) => {
  const cart = await htmlOf(`${context.url}/`);
  assert.equal(cart.status, 200);
  assert.match(cart.html, /<html lang="ko">/);
  assert.match(cart.html, /<h1>장바구니<\/h1>/);
  assert.match(cart.html, /<p class="product-name">제주 녹차 샘플러<\/p>/);
  assert.match(cart.html, /<input type="hidden" name="requestId" value="[\w-]{36}"\/>/);
  const offer = await htmlOf(`${context.url}/subscription`);
  assert.match(offer.html, /<h2 id="plan-title">월간 녹차 정기배송<\/h2>/);
  // The return page renders its heading and the kit's first state on the server; the query is read in the browser.
  const back = await htmlOf(`${context.url}/payments/return`);
  assert.match(back.html, /<h1>결제 결과<\/h1>/);
  assert.match(back.html, /<div role="status" aria-live="polite" data-status="reading">/);
  // Nothing of the server's settings but the public merchant code and SDK address is in a page.
  for (const { html } of [cart, offer, back]) {
    assert.ok(!html.includes(context.sandbox.impSecret), 'no secret in the HTML');
    assert.ok(html.includes('imp00000000'), 'the merchant code is passed to the provider');
  }

  // An order page: made in the browser (its session cookie), fetched as the server renders it.
  const page = await context.openPage('desktop');
  const merchantUid = await placeOrder(page, context);
  const cookie = (await page.context().cookies()).map(({ name, value }) => `${name}=${value}`).join('; ');
  const order = await htmlOf(`${context.url}/orders/${merchantUid}`, cookie);
  assert.equal(order.status, 200);
  assert.ok(order.html.includes(`<dd data-testid="merchant-uid">${merchantUid}</dd>`));
  assert.match(order.html, /data-order-status="pending">결제 대기<\/span>/);
  assert.match(order.html, /<td data-testid="order-amount">9,900원<\/td>/);
  // The kit's button renders on the server, busy until the SDK loads after hydration.
  assert.match(
    order.html,
    /<button type="button" class="primary"[^>]* data-status="loading">9,900원 결제하기<\/button>/,
  );
  // Another browser (no session, or a session id the server never signed) is told the order does not exist,
  // and cannot have it verified.
  assert.equal((await htmlOf(`${context.url}/orders/${merchantUid}`)).status, 404);
  const forged = `shop_session=${'a'.repeat(43)}.${'b'.repeat(43)}`;
  assert.equal((await htmlOf(`${context.url}/orders/${merchantUid}`, forged)).status, 404);
  const report = (headers) =>
    fetch(`${context.url}/api/payments/verify`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ merchantUid, impUid: null }),
    }).then((response) => response.status);
  assert.equal(await report({ 'content-type': 'application/json' }), 404);
  assert.equal(await report({ 'content-type': 'text/plain', cookie }), 415, 'a cross-site form cannot report');
  assert.equal(await report({ 'content-type': 'application/json', cookie }), 200);
  // In the browser the same page hydrated (the button turned ready) with no console error or warning:
  // the harness fails the test on any.
  assert.equal(await payButton(page).getAttribute('data-status'), 'ready');
  await checkAccessibility(page, 'an order to pay');
  await screenshot(page, 'order-to-pay');
  await page.goto(context.url);
  await page.getByRole('button', { name: '주문하기' }).waitFor();
  await checkAccessibility(page, 'the cart');
});

test('desktop: a card payment in the window is verified by the route handler and the page shows it paid', async (context) => {
  const page = await context.openPage('desktop');
  const merchantUid = await placeOrder(page, context, 2);
  assert.equal(await page.getByTestId('order-amount').textContent(), '19,800원');
  await payButton(page).click();
  const dialog = paymentWindow(page);
  await dialog.waitFor();
  await screenshot(page, 'payment-window-card');
  await dialog.getByRole('button', { name: '19,800원 결제하기' }).click();

  await page.locator('[data-order-status="paid"]').waitFor();
  await page.getByRole('status').filter({ hasText: '결제가 완료되었습니다.' }).first().waitFor();
  assert.equal(await payButton(page).count(), 0, 'a paid order offers no payment');
  // The button is gone: the notice that replaced it has the focus, not <body>.
  await page.waitForFunction(() => document.activeElement?.textContent === '결제가 완료되었습니다.');
  await checkAccessibility(page, 'a paid order');
  await screenshot(page, 'order-paid');
  const payments = context.sandbox.store.paymentsFor(merchantUid);
  assert.deepEqual(
    payments.map((payment) => [payment.status, payment.amount, payment.pay_method, payment.channel]),
    [['paid', 19_800, 'card', 'pc']],
  );
  const order = context.db.order(merchantUid);
  assert.equal(order.status, 'paid');
  assert.equal(order.imp_uid, payments[0].imp_uid);
  // PortOne's webhook came too (to the route handler) and changed nothing: the payment applied once.
  const webhook = await waitFor('the webhook answered', () =>
    context.sandbox.webhooks.deliveries.find((delivery) => delivery.payload.merchant_uid === merchantUid),
  );
  assert.equal(webhook.status, 200);
  assert.equal(context.db.events(merchantUid).filter((event) => event.payment_status === 'paid').length, 1);
});

test('desktop: a declined payment shows the PG’s reason, and the order can be paid again', async (context) => {
  const page = await context.openPage('desktop');
  const merchantUid = await placeOrder(page, context);
  await page.getByRole('radio', { name: '계좌이체' }).check();
  await payButton(page).click();
  const dialog = paymentWindow(page);
  await dialog.getByLabel('실패 사유').selectOption({ label: 'LIMIT_EXCEEDED 월 결제 한도를 초과했습니다' });
  await dialog.getByRole('button', { name: '선택한 실패로 끝내기' }).click();

  // The server recorded the decline (it asked PortOne) and the page rendered again with it.
  await page.locator('[data-order-status="failed"]').waitFor();
  await page.getByRole('alert').filter({ hasText: '월 결제 한도를 초과했습니다' }).first().waitFor();
  assert.equal(context.db.order(merchantUid).status, 'failed');
  assert.equal(await payButton(page).getAttribute('aria-disabled'), null, 'the buyer can try again');
  await checkAccessibility(page, 'a declined order');
  await screenshot(page, 'order-declined');
  assert.deepEqual(
    context.sandbox.store.paymentsFor(merchantUid).map((payment) => [payment.status, payment.pay_method]),
    [['failed', 'trans']],
  );
});

test('desktop: a buyer who closes the window is charged nothing and can pay later', async (context) => {
  const page = await context.openPage('desktop');
  const merchantUid = await placeOrder(page, context);
  await page.getByRole('radio', { name: '휴대폰 소액결제' }).check();
  await payButton(page).click();
  await paymentWindow(page).getByRole('button', { name: '결제창 닫기' }).click();

  await page.getByRole('status').filter({ hasText: '결제창을 닫아 결제하지 않았습니다.' }).waitFor();
  assert.equal(await orderStatus(page), 'pending');
  assert.equal(context.db.order(merchantUid).status, 'pending');
  assert.equal(await paymentWindow(page).count(), 0);
  assert.equal(await payButton(page).getAttribute('aria-disabled'), null, 'the order can be paid later');
  assert.deepEqual(
    context.sandbox.store.paymentsFor(merchantUid).map((payment) => payment.status),
    ['ready'],
    'the sandbox recorded an abandoned payment, nothing paid',
  );
});

test('mobile: a phone payment leaves for the window, comes back through the return page and shows the paid order', async (context) => {
  const page = await context.openPage('mobile');
  const merchantUid = await placeOrder(page, context);
  assert.equal(await page.evaluate(() => /Android|Mobile/.test(navigator.userAgent)), true);
  await page.getByRole('radio', { name: '휴대폰 소액결제' }).check();
  await payButton(page).click();
  const dialog = paymentWindow(page);
  await dialog.getByRole('button', { name: '인증번호 받기' }).click();
  await dialog.getByLabel('인증번호 (숫자 6자리)').fill('123456');
  await screenshot(page, 'mobile-payment-window');
  let returnUrl = '';
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame() && frame.url().includes('/payments/return?')) returnUrl = frame.url();
  });
  const redirected = page.waitForURL(/\/payments\/return\?/, { waitUntil: 'commit' });
  await dialog.getByRole('button', { name: '9,900원 결제하기' }).click();
  await redirected;

  // The return page verified through the route handler, then went back to the checkout (followReturnPath).
  await page.waitForURL(`**/orders/${merchantUid}`);
  await page.locator('[data-order-status="paid"]').waitFor();
  await page.getByRole('status').filter({ hasText: '결제가 완료되었습니다.' }).first().waitFor();
  assert.match(returnUrl, /imp_uid=imp_/);
  assert.equal(new URL(page.url()).search, '', 'no result left in the address bar');
  assert.equal(await payButton(page).count(), 0, 'a paid order offers no payment');
  await checkAccessibility(page, 'a paid order on a phone');
  await screenshot(page, 'mobile-order-paid');
  assert.deepEqual(
    context.sandbox.store.paymentsFor(merchantUid).map((payment) => [payment.status, payment.channel]),
    [['paid', 'mobile']],
  );
  assert.equal(context.db.order(merchantUid).status, 'paid');
});

test('mobile: a declined payment comes back to the checkout, whose button and notice say why', async (context) => {
  const page = await context.openPage('mobile');
  const merchantUid = await placeOrder(page, context);
  await payButton(page).click();
  const dialog = paymentWindow(page);
  await dialog.getByLabel('실패 사유').selectOption({ label: 'LIMIT_EXCEEDED 월 결제 한도를 초과했습니다' });
  const redirected = page.waitForURL(/\/payments\/return\?/, { waitUntil: 'commit' });
  await dialog.getByRole('button', { name: '선택한 실패로 끝내기' }).click();
  await redirected;

  await page.waitForURL(`**/orders/${merchantUid}`);
  // The button shows the outcome the return page settled; the server recorded it and the page shows it too.
  await page.locator('main button[data-status="failed"]').waitFor();
  await page.locator('[data-order-status="failed"]').waitFor();
  await page.getByRole('alert').filter({ hasText: '월 결제 한도를 초과했습니다' }).first().waitFor();
  assert.equal(context.db.order(merchantUid).status, 'failed');
  assert.equal(await payButton(page).getAttribute('aria-disabled'), null, 'the buyer can try again');
  await screenshot(page, 'mobile-order-declined');
});

test('billing key: the phone window issues the key, the server verifies it and the subscription is active', async (context) => {
  const page = await context.openPage('desktop');
  await page.goto(`${context.url}/subscription`);
  await page.getByRole('button', { name: '구독 신청하기' }).click();
  await page.waitForURL(/\/subscriptions\/sub_/);
  const id = new URL(page.url()).pathname.split('/').at(-1);
  await checkAccessibility(page, 'a subscription to register');
  const button = page.getByRole('main').getByRole('button', { name: '정기결제 등록하기' });
  await buttonReady(page);
  await button.click();
  const dialog = paymentWindow(page);
  await dialog.getByRole('button', { name: '인증번호 받기' }).click();
  await dialog.getByLabel('인증번호 (숫자 6자리)').fill('654321');
  await screenshot(page, 'billing-key-window');
  await dialog.getByRole('button', { name: '9,900원 등록하기' }).click();

  await page.getByTestId('subscription-status').filter({ hasText: '구독 중' }).waitFor();
  await page.getByRole('status').filter({ hasText: '정기결제가 등록되었습니다.' }).waitFor();
  await checkAccessibility(page, 'an active subscription');
  await screenshot(page, 'subscription-active');
  const subscription = context.db.subscription(id);
  assert.equal(subscription.status, 'active');
  const key = context.sandbox.store.customers.get(subscription.customer_uid);
  assert.equal(key?.pg_id, '170622040674', 'issued on the billing MID');
  const paid = [...context.sandbox.store.payments.values()].filter(
    (payment) => payment.customer_uid === subscription.customer_uid && payment.status === 'paid' && payment.amount > 0,
  );
  assert.deepEqual(
    paid.map((payment) => payment.amount),
    [9_900],
    'the first month paid once',
  );
});

const failed = await runAll();
process.exit(failed > 0 ? 1 : 0);
