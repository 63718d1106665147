import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright';
import type { Order } from '../src/shared/api.js';
import { type TestContext, waitFor } from './harness.js';

// What a buyer does, in the shop's own words, and what the test reads back from the shop and the sandbox.

/** Puts `quantity` of the tea sampler (9,900원) in the cart and orders; answers the new order's merchant_uid. */
export async function placeOrder(page: Page, context: TestContext, quantity = 1): Promise<string> {
  await page.goto(context.shop.url);
  await page.getByLabel('제주 녹차 샘플러 수량').fill(String(quantity));
  await page.getByRole('button', { name: '주문하기' }).click();
  await page.waitForURL(/\/orders\/ord_/);
  await page.getByRole('heading', { name: '주문 상세' }).waitFor();
  return (await page.getByTestId('merchant-uid').textContent()) ?? '';
}

/** The shop's pay button (the window has a button of the same words: this one is in the page). */
export const payButton = (page: Page): Locator => page.getByRole('main').getByRole('button', { name: /원 결제하기$/ });

export const paymentWindow = (page: Page): Locator => page.getByRole('dialog');

/** The order as the shop's server has it. */
export function orderOf(context: TestContext, merchantUid: string): Order {
  const order = context.shop.db.getOrder(merchantUid);
  assert.ok(order, `the shop has order ${merchantUid}`);
  return order;
}

/** Every payment the sandbox recorded for the order, oldest first. */
export function sandboxPayments(context: TestContext, merchantUid: string) {
  const { sandbox } = context.shop;
  assert.ok(sandbox, 'the shop runs on the sandbox');
  return sandbox.store.paymentsFor(merchantUid);
}

/** Waits until the shop answered the sandbox's webhook for this order. */
export async function webhookAnswered(context: TestContext, merchantUid: string) {
  return waitFor(`the webhook of ${merchantUid}`, () =>
    context.gate.answered.find((entry) => entry.merchantUid === merchantUid),
  );
}

/** Replaces `IMP.request_pay` so that the page asks the SDK for `amount` instead of the order's. */
export async function tamperWithAmount(page: Page, amount: number) {
  await page.addInitScript((tampered) => {
    type Pay = (params: Record<string, unknown>, callback?: unknown) => void;
    let real: { request_pay: Pay } | undefined;
    Object.defineProperty(window, 'IMP', {
      configurable: true,
      get: () => real,
      set(imp: { request_pay: Pay }) {
        const pay = imp.request_pay;
        real = Object.assign(Object.create(imp) as object, imp, {
          request_pay: (params: Record<string, unknown>, callback?: unknown) =>
            pay({ ...params, amount: tampered }, callback),
        });
      },
    });
  }, amount);
}

/** A session the shop issued (its cookie, as a browser would send it back), for tests that call the API. */
export async function shopSession(context: TestContext): Promise<string> {
  const response = await fetch(`${context.shop.url}/api/config`);
  await response.body?.cancel();
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie?.startsWith('shop_session=')) throw new Error('the shop issued no session');
  return cookie;
}

/**
 * How many elements in the page's main area show `text` on screen (a visually hidden live region, as the
 * kit's status line with `hideStatus`, does not count).
 */
export function shownCount(page: Page, text: string): Promise<number> {
  return page.evaluate(
    (wanted) =>
      [...document.querySelectorAll('main *')].filter(
        (element) =>
          element.children.length === 0 &&
          element.textContent?.includes(wanted) &&
          element.getBoundingClientRect().width > 1,
      ).length,
    text,
  );
}
