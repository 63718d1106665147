import assert from 'node:assert/strict';
import { orderOf, payButton, placeOrder, sandboxPayments, webhookAnswered } from './flows.js';
import { checkAccessibility, screenshot, test, waitFor } from './harness.js';

// Mobile: the served fake SDK sees a phone's user agent and, as PortOne's does, leaves the page for the
// window and comes back to m_redirect_url (/payments/return), which lands on the order page.

const returnPage = /\/payments\/return\?/;

test('mobile: a phone payment through the window redirects back and lands on the paid order', async (context) => {
  const page = await context.openPage('mobile');
  const merchantUid = await placeOrder(page, context);
  assert.equal(await page.evaluate(() => /Android|Mobile/.test(navigator.userAgent)), true);
  await page.getByRole('radio', { name: '휴대폰 소액결제' }).check();
  await payButton(page).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: '인증번호 받기' }).click();
  await dialog.getByLabel('인증번호 (숫자 6자리)').fill('123456');
  await screenshot(page, 'mobile-payment-window-phone');
  const redirected = page.waitForURL(returnPage);
  await dialog.getByRole('button', { name: '9,900원 결제하기' }).click();
  await redirected;

  await page.waitForURL(`**/orders/${merchantUid}`);
  await page.getByRole('status').filter({ hasText: '결제가 완료되었습니다.' }).waitFor();
  assert.equal(new URL(page.url()).search, '', 'no result left in the address bar');
  await checkAccessibility(page, 'the mobile order page');
  await screenshot(page, 'mobile-order-paid');
  const payments = sandboxPayments(context, merchantUid);
  assert.deepEqual(
    payments.map((payment) => [payment.status, payment.channel, payment.pay_method]),
    [['paid', 'mobile', 'phone']],
  );
  assert.equal(orderOf(context, merchantUid).status, 'paid');
});

test('mobile: a declined payment redirects back and the order page says why', async (context) => {
  const page = await context.openPage('mobile', { outcome: 'decline' });
  const merchantUid = await placeOrder(page, context);
  await payButton(page).click();
  await page.waitForURL(`**/orders/${merchantUid}`, { waitUntil: 'commit' });
  await page.getByRole('alert').filter({ hasText: 'PG사 결제요청에 실패하여 중단합니다' }).waitFor();
  assert.equal(orderOf(context, merchantUid).status, 'failed');
  // The order page is a new page: its SDK loads before the button is available again (showing the
  // declined attempt it came back from, or ready).
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('main button')].some(
        (button) =>
          /원 결제하기$/.test(button.textContent ?? '') &&
          ['ready', 'failed'].includes(button.getAttribute('data-status') ?? '') &&
          button.getAttribute('aria-disabled') === null,
      ),
    undefined,
    { timeout: 10_000 },
  );
  assert.equal(await payButton(page).getAttribute('aria-disabled'), null, 'the buyer can try again');
  await checkAccessibility(page, 'a declined order on mobile');
  await screenshot(page, 'mobile-order-declined');
  assert.deepEqual(
    sandboxPayments(context, merchantUid).map((payment) => payment.status),
    ['failed'],
  );
});

test('mobile: reloading the result neither verifies again nor duplicates the order', async (context) => {
  const sandbox = context.shop.sandbox;
  assert.ok(sandbox);
  const page = await context.openPage('mobile', { outcome: 'approve' });
  const merchantUid = await placeOrder(page, context);
  let returnUrl = '';
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame() && returnPage.test(frame.url())) returnUrl = frame.url();
  });
  await payButton(page).click();
  await page.waitForURL(`**/orders/${merchantUid}`);
  await page.getByRole('status').filter({ hasText: '결제가 완료되었습니다.' }).waitFor();
  await webhookAnswered(context, merchantUid);
  await sandbox.webhooks.settled();
  assert.match(returnUrl, /imp_uid=imp_/);

  const lookups = sandbox.countRequests('GET /payments/:imp_uid');
  const events = context.shop.db.paymentEvents(merchantUid);
  const orders = context.shop.db.listOrders({ limit: 1000 }).length;
  // The landing page reloaded, then the return URL itself opened again in the same tab.
  await page.reload();
  await page.getByRole('status').filter({ hasText: '결제가 완료되었습니다.' }).waitFor();
  await page.goto(returnUrl);
  await page.waitForURL(`**/orders/${merchantUid}`);
  await page.getByRole('status').filter({ hasText: '결제가 완료되었습니다.' }).waitFor();

  assert.equal(sandbox.countRequests('GET /payments/:imp_uid'), lookups, 'nobody asked PortOne again');
  assert.deepEqual(context.shop.db.paymentEvents(merchantUid), events);
  assert.equal(context.shop.db.listOrders({ limit: 1000 }).length, orders, 'no order was added');
  assert.equal(sandboxPayments(context, merchantUid).length, 1);
});

test('mobile: the back button after paying shows the paid order and offers no second payment', async (context) => {
  const page = await context.openPage('mobile', { outcome: 'approve' });
  const merchantUid = await placeOrder(page, context);
  await payButton(page).click();
  await page.waitForURL(`**/orders/${merchantUid}`);
  await page.getByRole('status').filter({ hasText: '결제가 완료되었습니다.' }).waitFor();

  await page.goBack();
  await page.waitForURL(`**/orders/${merchantUid}`);
  await page.getByRole('status').filter({ hasText: '결제가 완료되었습니다.' }).waitFor();
  assert.equal(await payButton(page).count(), 0, 'no pay button on the page the buyer came back to');
  await page.goBack();
  await waitFor('the cart', async () => new URL(page.url()).pathname === '/');
  assert.equal(sandboxPayments(context, merchantUid).length, 1);
  assert.equal(orderOf(context, merchantUid).status, 'paid');
});
