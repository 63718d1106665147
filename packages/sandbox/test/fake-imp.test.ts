import {
  interpretPaymentResponse,
  type PaymentRequest,
  parseRedirectResult,
  type RequestPayResponse,
} from '@portone-kit/core';
import { createFakeImp, installFakePortone } from '@portone-kit/sandbox';
import { afterEach, describe, expect, it } from 'vitest';

const request: PaymentRequest = {
  pg: 'mobilians',
  pay_method: 'phone',
  merchant_uid: 'order_1',
  amount: 9900,
  buyer_tel: '010-1234-5678',
};

const pay = (imp: ReturnType<typeof createFakeImp>, params = request) =>
  new Promise<RequestPayResponse>((resolve) => imp.request_pay(params, resolve));

afterEach(() => {
  delete (window as { IMP?: unknown }).IMP;
});

describe('the fake IMP', () => {
  it('approves a payment and records it as paid', async () => {
    const imp = createFakeImp();
    imp.init('imp12345678');
    const response = await pay(imp);
    expect(interpretPaymentResponse(response)).toMatchObject({ status: 'completed', merchantUid: 'order_1' });
    expect(imp.payments.get('order_1')).toMatchObject({ status: 'paid', amount: 9900, imp_uid: response.imp_uid });
  });

  it('refuses a merchant_uid that is already paid with F1002', async () => {
    const imp = createFakeImp();
    imp.init('imp12345678');
    await pay(imp);
    expect(interpretPaymentResponse(await pay(imp))).toMatchObject({ status: 'failed', code: 'F1002' });
  });

  it('answers an error result when init was not called', async () => {
    const imp = createFakeImp();
    expect(interpretPaymentResponse(await pay(imp))).toMatchObject({ status: 'failed', code: 'F0000' });
    expect(imp.payments.size).toBe(0);
  });

  it('declines with the chosen code and cancels with F0005', async () => {
    const imp = createFakeImp({ outcome: { kind: 'decline', code: 'LIMIT', message: '한도 초과' } });
    imp.init('imp12345678');
    expect(interpretPaymentResponse(await pay(imp))).toMatchObject({
      status: 'failed',
      code: 'LIMIT',
      message: '한도 초과',
    });
    imp.configure({ outcome: { kind: 'cancel' } });
    expect(interpretPaymentResponse(await pay(imp, { ...request, merchant_uid: 'order_2' }))).toMatchObject({
      status: 'cancelled',
      code: 'F0005',
    });
  });

  it('answers in a later task, never inside request_pay', () => {
    const imp = createFakeImp();
    imp.init('imp12345678');
    let answered = false;
    imp.request_pay(request, () => {
      answered = true;
    });
    expect(answered).toBe(false);
    expect(imp.calls.at(-1)).toEqual({ method: 'request_pay', params: request, hasCallback: true });
  });

  it('navigates to m_redirect_url with PortOne query after the merchant query, instead of calling back', async () => {
    const visited: string[] = [];
    const imp = createFakeImp({ redirect: true, navigate: (url) => visited.push(url) });
    imp.init('imp12345678');
    let called = false;
    imp.request_pay({ ...request, m_redirect_url: 'https://shop.example/return?from=app' }, () => {
      called = true;
    });
    await expect.poll(() => visited.length).toBe(1);
    expect(called).toBe(false);
    const url = new URL(visited[0] ?? '');
    expect(url.searchParams.get('from')).toBe('app');
    expect(url.search.startsWith('?from=app&')).toBe(true);
    expect(parseRedirectResult(url)).toMatchObject({ status: 'completed', merchantUid: 'order_1' });
  });

  it('installs itself as window.IMP', () => {
    const imp = installFakePortone();
    expect((window as { IMP?: unknown }).IMP).toBe(imp);
  });
});
