import type { RequestPayParams, RequestPayResponse } from '@portone-kit/core';
import { type FlowOutcome, MobiliansPayButton, PortoneProvider, usePortone } from '@portone-kit/react';
import { act, renderHook, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { holdWindows, merchantCode, paymentRequest, renderStrict, setUpFakePortone } from './support.js';

const fake = setUpFakePortone();

async function ready() {
  const hook = renderHook(() => usePortone({ merchantCode }), { wrapper: StrictMode });
  await waitFor(() => expect(hook.result.current.sdk.isReady).toBe(true));
  return hook;
}

describe('answers that come late, twice or never', () => {
  it('a click after a timeout: the first window completing late is shown, and the second one’s F1002 is not news', async () => {
    const windows = holdWindows(fake.imp);
    const { result } = await ready();
    const first = vi.fn();
    const second = vi.fn();
    act(() => {
      void result.current.pay.start(paymentRequest, { windowTimeoutMs: 30, onSettled: first });
    });
    await waitFor(() => expect(result.current.pay.error).toMatchObject({ kind: 'timeout' }));
    act(() => {
      void result.current.pay.start(paymentRequest, { onSettled: second });
    });
    // The first window completes (no verify: unverified, and the buyer may have paid): shown.
    await act(async () => windows.answer());
    await waitFor(() => expect(result.current.pay.status).toBe('unverified'));
    // The second window then meets an order already paid: neither shown nor told as a failure.
    await act(async () => windows.answer());
    await waitFor(() => expect(fake.imp.calls.filter((call) => call.method === 'request_pay')).toHaveLength(2));
    await act(async () => {});
    expect(result.current.pay.status).toBe('unverified');
    expect(first.mock.calls.map(([outcome]) => (outcome as FlowOutcome).status)).toEqual(['failed', 'unverified']);
    expect(second).not.toHaveBeenCalled();
  });

  it('a verify that never settles does not keep the page’s window: other starts are not refused as busy', async () => {
    const { result } = await ready();
    act(() => {
      void result.current.pay.start(paymentRequest, { verify: () => new Promise(() => {}) });
    });
    await waitFor(() => expect(result.current.pay.status).toBe('verifying'));
    expect(result.current.pay.isWindowOpen).toBe(false);
    let other!: Promise<FlowOutcome>;
    act(() => {
      other = result.current.issueBillingKey.start({
        ...paymentRequest,
        merchant_uid: 'billing_0009',
        customer_uid: 'customer_0009',
        amount: 0,
      });
    });
    await expect(other).resolves.toMatchObject({ status: 'unverified' });
  });

  it('an SDK that calls back twice is verified once', async () => {
    const request = fake.imp.request_pay;
    fake.imp.request_pay = (params: RequestPayParams, callback?: (response: RequestPayResponse) => void) =>
      request(params, (response) => {
        callback?.(response);
        callback?.(response);
      });
    const { result } = await ready();
    const verify = vi.fn(async () => 'ok');
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = result.current.pay.start(paymentRequest, { verify });
    });
    await expect(outcome).resolves.toMatchObject({ status: 'succeeded' });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('back on the checkout after a failed verification on the return page, "verify again" asks this order’s server', async () => {
    // What the m_redirect_url page keeps when its verify failed (the Chromium round trip test writes it for real).
    const completed = { status: 'completed', impUid: 'imp_77', merchantUid: paymentRequest.merchant_uid, raw: {} };
    sessionStorage.setItem(
      `portone-kit:settled:${paymentRequest.merchant_uid}`,
      JSON.stringify({
        flow: 'pay',
        outcome: { status: 'failed', error: { kind: 'verification', result: completed, cause: 'server down' } },
      }),
    );
    const verify = vi.fn(async () => ({ orderId: 77 }));
    const onSuccess = vi.fn();
    renderStrict(
      <PortoneProvider merchantCode={merchantCode}>
        <MobiliansPayButton request={paymentRequest} verify={verify} onSuccess={onSuccess} />
      </PortoneProvider>,
    );
    const button = await screen.findByRole('button', { name: '결제 다시 확인하기' });
    await waitFor(() => expect(button.getAttribute('aria-disabled')).toBeNull());
    act(() => button.click());
    await waitFor(() => expect(button.dataset.status).toBe('succeeded'));
    expect(verify).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ impUid: 'imp_77' }));
    expect(onSuccess).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ verification: { orderId: 77 } }));
    expect(fake.imp.calls.filter((call) => call.method === 'request_pay')).toHaveLength(0);
  });

  it('a checkout restored from the back-forward cache shows what the return page settled meanwhile', async () => {
    fake.imp.configure({ redirect: true, navigate: () => {} });
    const hook = renderHook(() => usePortone({ merchantCode, mobile: true }), { wrapper: StrictMode });
    await waitFor(() => expect(hook.result.current.sdk.isReady).toBe(true));
    const onSettled = vi.fn();
    act(() => {
      void hook.result.current.pay.start(
        { ...paymentRequest, m_redirect_url: 'https://shop.example/return' },
        { onSettled },
      );
    });
    expect(hook.result.current.pay.status).toBe('redirecting');
    const completed = { status: 'completed', impUid: 'imp_78', merchantUid: paymentRequest.merchant_uid, raw: {} };
    sessionStorage.setItem(
      `portone-kit:settled:${paymentRequest.merchant_uid}`,
      JSON.stringify({ flow: 'pay', outcome: { status: 'succeeded', result: completed, verification: 'ok' } }),
    );
    act(() => {
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    });
    expect(hook.result.current.pay.status).toBe('succeeded');
    expect(onSettled).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ status: 'succeeded' }));
  });
});
