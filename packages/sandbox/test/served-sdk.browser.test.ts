import { type Imp, loadPortone, type RequestPayParams, type RequestPayResponse } from '@portone-kit/core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { commands, userEvent } from 'vitest/browser';

const merchantCode = 'imp12345678';
const sandboxUrl = inject('sandboxUrl');
let sequence = 0;

const request = (): RequestPayParams => ({
  pg: 'mobilians',
  pay_method: 'card',
  merchant_uid: `served_${Date.now()}_${++sequence}`,
  name: '샌드박스 주문',
  amount: 12300,
  buyer_tel: '010-1234-5678',
});

const pay = (imp: Imp, params: RequestPayParams) =>
  new Promise<RequestPayResponse>((resolve) => imp.request_pay(params, resolve));

/** The SDK URL with the buyer's behaviour for this test, and a key that keeps tests' script tags apart. */
const sdk = (query: string) => `${sandboxUrl}/v1/iamport.js?${query}&test=${++sequence}`;

afterEach(async () => {
  await commands.sandboxFault(null);
  const page = window as unknown as Record<string | symbol, unknown>;
  delete page.IMP;
  delete page[Symbol.for('portone-kit.loader')];
  for (const node of document.querySelectorAll('[data-portone-sandbox="window"]')) node.remove();
});

describe('the fake SDK served by the emulator', () => {
  it('loads like the real one, and a payment made in its window is what GET /payments/{imp_uid} reports', async () => {
    const imp = await loadPortone({ merchantCode, src: sdk('outcome=approve') });
    const params = request();
    const response = await pay(imp, params);
    expect(response).toMatchObject({ success: true, merchant_uid: params.merchant_uid });
    const { status, body } = await commands.sandboxRest('GET', `/payments/${response.imp_uid}?include_sandbox=true`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      code: 0,
      response: {
        imp_uid: response.imp_uid,
        merchant_uid: params.merchant_uid,
        amount: 12300,
        status: 'paid',
        sandbox: true,
      },
    });
  });

  it('opens its payment window for a person, and records what they chose', async () => {
    const imp = await loadPortone({ merchantCode, src: sdk('outcome=window') });
    const params = request();
    const answered = pay(imp, params);
    await expect.poll(() => document.querySelector('[role="dialog"]')).toBeTruthy();
    const dialog = document.querySelector('[role="dialog"]') as HTMLElement;
    const approve = [...dialog.querySelectorAll('button')].find((button) => button.textContent?.includes('결제하기'));
    await userEvent.click(approve as HTMLButtonElement);
    const response = await answered;
    const { body } = await commands.sandboxRest('GET', `/payments/${response.imp_uid}?include_sandbox=true`);
    expect(body).toMatchObject({ response: { status: 'paid', amount: 12300 } });
  });

  it('records a decline with its code', async () => {
    const imp = await loadPortone({ merchantCode, src: sdk('outcome=decline&code=LIMIT&message=limit') });
    const response = await pay(imp, request());
    expect(response).toMatchObject({ success: false, error_code: 'LIMIT' });
    const { body } = await commands.sandboxRest('GET', `/payments/${response.imp_uid}?include_sandbox=true`);
    expect(body).toMatchObject({ response: { status: 'failed' } });
  });

  it('refuses a merchant_uid that is already paid with F1002', async () => {
    const imp = await loadPortone({ merchantCode, src: sdk('outcome=approve') });
    const params = request();
    await pay(imp, params);
    expect(await pay(imp, params)).toMatchObject({ success: false, error_code: 'F1002', imp_uid: null });
  });

  it('survives a failing script load: the loader retries and ends ready', async () => {
    await commands.sandboxFault('GET /v1/iamport.js', { status: 500, times: 1 });
    const imp = await loadPortone({ merchantCode, src: sdk('outcome=approve'), retryDelayMs: 10 });
    expect(typeof imp.request_pay).toBe('function');
  });

  it('times out a script load slower than the loader allows', async () => {
    // Held until the test ends (afterEach drops it): late however slow the machine, with no timing margin.
    await commands.sandboxFault('GET /v1/iamport.js', { hold: true });
    const failure = await loadPortone({ merchantCode, src: sdk('outcome=approve'), timeoutMs: 100, retries: 0 }).catch(
      (error) => error,
    );
    expect(failure).toMatchObject({ name: 'PortoneLoadError', code: 'timeout' });
  });
});
