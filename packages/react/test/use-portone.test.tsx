import type { BillingKeyRequest } from '@portone-kit/core';
import { type FlowOutcome, PortoneProvider, type UsePortone, usePortone } from '@portone-kit/react';
import { act, render, renderHook, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import {
  holdWindows,
  initCalls,
  merchantCode,
  paymentRequest,
  renderStrict,
  requestPayCalls,
  setUpFakePortone,
} from './support.js';

const fake = setUpFakePortone();

function renderPortone(options: Parameters<typeof usePortone>[0] = { merchantCode }) {
  return renderHook(() => usePortone(options), { wrapper: StrictMode });
}

async function ready(options?: Parameters<typeof usePortone>[0]) {
  const hook = renderPortone(options);
  await waitFor(() => expect(hook.result.current.sdk.status).toBe('ready'));
  return hook;
}

/** Two hooks in one component, as two payment widgets on one page would be. */
function TwoHooks({ into }: { into: UsePortone[] }) {
  into[0] = usePortone({ merchantCode });
  into[1] = usePortone({ merchantCode });
  return null;
}

/** Two hooks that take everything from the provider above them. */
function TwoHooksUnderProvider({ into }: { into: UsePortone[] }) {
  into[0] = usePortone();
  into[1] = usePortone();
  return null;
}

function StatusLog({ into }: { into: string[] }) {
  into.push(usePortone({ merchantCode }).sdk.status);
  return null;
}

describe('usePortone: the SDK', () => {
  it('loads on mount and inits once under StrictMode', async () => {
    const { result } = renderPortone();
    expect(result.current.sdk.isLoading).toBe(true);
    await waitFor(() => expect(result.current.sdk.isReady).toBe(true));
    expect(initCalls(fake.imp)).toEqual([{ method: 'init', merchantCode }]);
  });

  it('ends in a typed error and loads again on retry', async () => {
    delete (window as { IMP?: unknown }).IMP;
    // jsdom runs no scripts: the tag never loads and the try times out.
    const { result } = renderPortone({ merchantCode, src: 'http://127.0.0.1:9/none.js', timeoutMs: 30, retries: 0 });
    await waitFor(() => expect(result.current.sdk.status).toBe('error'));
    expect(result.current.sdk.error).toMatchObject({ name: 'PortoneLoadError', code: 'timeout' });
    Object.assign(window, { IMP: fake.imp });
    act(() => result.current.sdk.retry());
    await waitFor(() => expect(result.current.sdk.status).toBe('ready'));
  });

  it('says what to do when it has no merchant code', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => renderHook(() => usePortone())).toThrow(/wrap the part of your app that pays in <PortoneProvider/);
  });

  it('takes the SDK from PortoneProvider, with its options, and loads it once for every hook below', async () => {
    const hooks: UsePortone[] = [];
    renderStrict(
      <PortoneProvider merchantCode="imp87654321" tierCode="A1B">
        <TwoHooksUnderProvider into={hooks} />
      </PortoneProvider>,
    );
    await waitFor(() => expect(hooks[1]?.sdk.isReady).toBe(true));
    expect(hooks[0]?.sdk.isReady).toBe(true);
    expect(fake.imp.calls.filter((call) => call.method !== 'request_pay')).toEqual([
      { method: 'agency', merchantCode: 'imp87654321', tierCode: 'A1B' },
    ]);
  });
});

describe('usePortone: pay', () => {
  it('goes requesting -> verifying -> succeeded through verify, calling request_pay in the same task', async () => {
    const { result } = await ready();
    let outcome!: Promise<FlowOutcome<{ orderId: number }>>;
    let resolveVerify!: (value: { orderId: number }) => void;
    const verify = vi.fn(() => new Promise<{ orderId: number }>((resolve) => (resolveVerify = resolve)));
    act(() => {
      outcome = result.current.pay.start(paymentRequest, { verify });
      expect(requestPayCalls(fake.imp)).toHaveLength(1);
    });
    expect(result.current.pay.status).toBe('requesting');
    await waitFor(() => expect(result.current.pay.status).toBe('verifying'));
    expect(verify).toHaveBeenCalledWith(expect.objectContaining({ status: 'completed', merchantUid: 'order_0001' }));
    await act(async () => resolveVerify({ orderId: 7 }));
    await expect(outcome).resolves.toMatchObject({ status: 'succeeded', verification: { orderId: 7 } });
    expect(result.current.pay).toMatchObject({ status: 'succeeded', isSucceeded: true, verification: { orderId: 7 } });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('ends unverified, saying so, without verify', async () => {
    const { result } = await ready();
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = result.current.pay.start(paymentRequest);
    });
    await expect(outcome).resolves.toMatchObject({ status: 'unverified', result: { status: 'completed' } });
    await waitFor(() => expect(result.current.pay.status).toBe('unverified'));
    expect(result.current.pay.isSucceeded).toBe(false);
  });

  it('ends failed when the PG declines, cancelled when the buyer closes, failed when verify throws', async () => {
    const { result } = await ready();
    fake.imp.configure({ outcome: { kind: 'decline', code: 'LIMIT', message: '한도 초과' } });
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = result.current.pay.start(paymentRequest);
    });
    await expect(outcome).resolves.toMatchObject({ status: 'failed', error: { kind: 'payment' } });
    await waitFor(() => expect(result.current.pay.error).toMatchObject({ kind: 'payment', result: { code: 'LIMIT' } }));

    fake.imp.configure({ outcome: { kind: 'cancel' } });
    act(() => {
      outcome = result.current.pay.start({ ...paymentRequest, merchant_uid: 'order_0002' });
    });
    await expect(outcome).resolves.toMatchObject({ status: 'cancelled' });
    await waitFor(() => expect(result.current.pay.isCancelled).toBe(true));

    fake.imp.configure({ outcome: { kind: 'approve' } });
    const refused = new Error('amount mismatch');
    act(() => {
      outcome = result.current.pay.start(
        { ...paymentRequest, merchant_uid: 'order_0003' },
        {
          verify: () => {
            throw refused;
          },
        },
      );
    });
    await expect(outcome).resolves.toMatchObject({ status: 'failed', error: { kind: 'verification', cause: refused } });
    await waitFor(() => expect(result.current.pay.status).toBe('failed'));
  });

  it('refuses an invalid request with every problem and makes no SDK call', async () => {
    const { result } = await ready();
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = result.current.pay.start({ ...paymentRequest, amount: '9900' as unknown as number, buyer_tel: '' });
    });
    const settled = await outcome;
    expect(settled).toMatchObject({ status: 'failed', error: { kind: 'invalid-request' } });
    const problems =
      settled.status === 'failed' && settled.error.kind === 'invalid-request' ? settled.error.problems : [];
    expect(problems.map((problem) => problem.field)).toEqual(['buyer_tel', 'amount']);
    expect(requestPayCalls(fake.imp)).toHaveLength(0);
    expect(result.current.pay.status).toBe('failed');
  });

  it('refuses to start before the SDK is ready and makes no SDK call', async () => {
    delete (window as { IMP?: unknown }).IMP;
    const { result } = renderPortone({ merchantCode, src: 'http://127.0.0.1:9/slow.js', timeoutMs: 5_000 });
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = result.current.pay.start(paymentRequest);
    });
    await expect(outcome).resolves.toMatchObject({
      status: 'failed',
      error: { kind: 'not-ready', sdkStatus: 'loading' },
    });
    expect(requestPayCalls(fake.imp)).toHaveLength(0);
  });

  it('gives the SDK a copy of the request, which it may write into', async () => {
    const { result } = await ready();
    const answer = fake.imp.request_pay;
    fake.imp.request_pay = (params, callback) => {
      Object.assign(params, { request_id: 'req_1' });
      answer(params, callback);
    };
    const request = Object.freeze({ ...paymentRequest });
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = result.current.pay.start(request);
    });
    await expect(outcome).resolves.toMatchObject({ status: 'unverified' });
    expect(request).not.toHaveProperty('request_id');
  });

  it('fails a window that never answers after windowTimeoutMs, frees the page, and still takes a late answer', async () => {
    const windows = holdWindows(fake.imp);
    const { result } = await ready();
    const verify = vi.fn(async () => 'paid after all');
    const onSettled = vi.fn();
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = result.current.pay.start(paymentRequest, { verify, onSettled, windowTimeoutMs: 40 });
    });
    // The window is held open: only the kit's own timeout ends this wait.
    await expect(outcome).resolves.toMatchObject({ status: 'failed', error: { kind: 'timeout', afterMs: 40 } });
    await waitFor(() => expect(result.current.pay.error).toMatchObject({ kind: 'timeout' }));
    expect(result.current.pay.isInFlight).toBe(false);
    // The page is free: the buyer starts another order, and that window is the page's one window...
    let again!: Promise<FlowOutcome>;
    act(() => {
      again = result.current.pay.start({ ...paymentRequest, merchant_uid: 'order_0002' });
    });
    expect(windows.open).toBe(2);
    // ...and the first window's late answer is still verified, told and shown: it is a real payment.
    await act(async () => windows.answer());
    await waitFor(() => expect(result.current.pay.status).toBe('succeeded'));
    expect(verify).toHaveBeenCalledTimes(1);
    expect(onSettled).toHaveBeenLastCalledWith(
      expect.objectContaining({ status: 'succeeded', verification: 'paid after all' }),
    );
    expect(result.current.pay.result).toMatchObject({ merchantUid: 'order_0001' });
    let third!: Promise<FlowOutcome>;
    act(() => {
      third = result.current.pay.start({ ...paymentRequest, merchant_uid: 'order_0003' });
    });
    await expect(third).resolves.toEqual({ status: 'failed', error: { kind: 'busy' } });
    await act(async () => windows.answer());
    await expect(again).resolves.toMatchObject({ status: 'unverified', result: { merchantUid: 'order_0002' } });
    // A completed window is shown; another one completing does not take the page over.
    expect(result.current.pay.result).toMatchObject({ merchantUid: 'order_0001' });
  });

  it("refuses a second start while a window is open with its own busy outcome, never the first order's", async () => {
    fake.imp.configure({ delayMs: 50 });
    const { result } = await ready();
    let first!: Promise<FlowOutcome>;
    let second!: Promise<FlowOutcome>;
    const onSettled = vi.fn();
    act(() => {
      first = result.current.pay.start(paymentRequest);
      second = result.current.pay.start({ ...paymentRequest, merchant_uid: 'order_other' }, { onSettled });
    });
    await expect(second).resolves.toEqual({ status: 'failed', error: { kind: 'busy' } });
    expect(onSettled).toHaveBeenCalledExactlyOnceWith({ status: 'failed', error: { kind: 'busy' } });
    // The refusal changed nothing of the open window's flow.
    expect(result.current.pay.status).toBe('requesting');
    await expect(first).resolves.toMatchObject({ status: 'unverified', result: { merchantUid: 'order_0001' } });
    expect(requestPayCalls(fake.imp)).toHaveLength(1);
  });

  it('opens one window for two hooks on one page', async () => {
    fake.imp.configure({ delayMs: 50 });
    const hooks: UsePortone[] = [];
    renderStrict(<TwoHooks into={hooks} />);
    await waitFor(() => expect(hooks[1]?.sdk.isReady).toBe(true));
    let first!: Promise<FlowOutcome>;
    let second!: Promise<FlowOutcome>;
    act(() => {
      first = hooks[0]?.pay.start(paymentRequest) as Promise<FlowOutcome>;
      second = hooks[1]?.pay.start({ ...paymentRequest, merchant_uid: 'order_0009' }) as Promise<FlowOutcome>;
    });
    await expect(second).resolves.toEqual({ status: 'failed', error: { kind: 'busy' } });
    expect(hooks[1]?.pay.isWindowOpen).toBe(true);
    await first;
    expect(requestPayCalls(fake.imp)).toHaveLength(1);
    await waitFor(() => expect(hooks[0]?.pay.status).toBe('unverified'));
    expect(hooks[1]?.pay.isWindowOpen).toBe(false);
    expect(hooks[1]?.pay.status).toBe('idle');
  });

  it('after reset a late cancel changes nothing, and a late completed window is shown: the buyer may have paid', async () => {
    const windows = holdWindows(fake.imp);
    const { result } = await ready();
    const onSettled = vi.fn();
    act(() => {
      void result.current.pay.start(paymentRequest, { onSettled });
    });
    act(() => result.current.pay.reset());
    expect(result.current.pay.status).toBe('idle');
    fake.imp.configure({ outcome: { kind: 'cancel' } });
    await act(async () => windows.answer());
    await waitFor(() => expect(onSettled).toHaveBeenCalledTimes(1));
    expect(result.current.pay.status).toBe('idle');

    act(() => {
      void result.current.pay.start({ ...paymentRequest, merchant_uid: 'order_0002' }, { onSettled });
    });
    act(() => result.current.pay.reset());
    fake.imp.configure({ outcome: { kind: 'approve' } });
    await act(async () => windows.answer());
    await waitFor(() => expect(result.current.pay.status).toBe('unverified'));
    expect(result.current.pay.result).toMatchObject({ merchantUid: 'order_0002' });
  });

  it('on mobile with m_redirect_url saves the intent before request_pay and shows redirecting', async () => {
    fake.imp.configure({ redirect: true, navigate: () => {} });
    const { result } = await ready({ merchantCode, mobile: true });
    const savedAtCall: (string | null)[] = [];
    const original = fake.imp.request_pay;
    fake.imp.request_pay = (params, callback) => {
      savedAtCall.push(sessionStorage.getItem('portone-kit:pending'));
      original(params, callback);
    };
    act(() => {
      void result.current.pay.start({ ...paymentRequest, m_redirect_url: 'https://shop.example/pay/return' });
    });
    expect(result.current.pay.status).toBe('redirecting');
    expect(JSON.parse(savedAtCall[0] ?? 'null')).toMatchObject({
      flow: 'pay',
      merchantUid: 'order_0001',
      amount: 9900,
      customerUid: null,
      returnPath: '/',
    });
    act(() => result.current.pay.reset());
  });

  it('frees the page for a new window when a redirecting flow unmounts', async () => {
    const navigate = vi.fn();
    fake.imp.configure({ redirect: true, navigate });
    const first = await ready({ merchantCode, mobile: true });
    act(() => {
      void first.result.current.pay.start({ ...paymentRequest, m_redirect_url: 'https://shop.example/pay/return' });
    });
    expect(first.result.current.pay.status).toBe('redirecting');
    // The window answered by leaving the page: no callback will ever come for this flow.
    await waitFor(() => expect(navigate).toHaveBeenCalledTimes(1));
    first.unmount();
    fake.imp.configure({ redirect: false });
    const second = await ready();
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = second.result.current.pay.start({ ...paymentRequest, merchant_uid: 'order_0002' });
    });
    await expect(outcome).resolves.toMatchObject({ status: 'unverified', result: { merchantUid: 'order_0002' } });
  });

  it('on mobile handles a callback that still arrives as on PC, and forgets the intent', async () => {
    const { result } = await ready({ merchantCode, mobile: true });
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = result.current.pay.start(
        { ...paymentRequest, m_redirect_url: 'https://shop.example/pay/return' },
        { verify: async () => 'ok' },
      );
    });
    expect(result.current.pay.status).toBe('redirecting');
    await expect(outcome).resolves.toMatchObject({ status: 'succeeded' });
    await waitFor(() => expect(result.current.pay.status).toBe('succeeded'));
    expect(sessionStorage.getItem('portone-kit:pending')).toBeNull();
  });

  it('refuses a mobile payment without m_redirect_url, whose result would be lost', async () => {
    const { result } = await ready({ merchantCode, mobile: true });
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = result.current.pay.start(paymentRequest);
    });
    await expect(outcome).resolves.toMatchObject({
      status: 'failed',
      error: { kind: 'invalid-request', problems: [{ field: 'm_redirect_url' }] },
    });
    expect(requestPayCalls(fake.imp)).toHaveLength(0);
  });

  it('does not complete an order with an answer for another merchant_uid', async () => {
    const { result } = await ready();
    const answer = fake.imp.request_pay;
    fake.imp.request_pay = (params, callback) => answer({ ...params, merchant_uid: 'order_other' }, callback);
    const verify = vi.fn();
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = result.current.pay.start(paymentRequest, { verify });
    });
    await expect(outcome).resolves.toMatchObject({
      status: 'failed',
      error: { kind: 'redirect', reason: expect.stringMatching(/order_other/) },
    });
    expect(verify).not.toHaveBeenCalled();
  });

  it('forgets the saved intent on reset', async () => {
    fake.imp.configure({ redirect: true, navigate: () => {} });
    const { result } = await ready({ merchantCode, mobile: true });
    act(() => {
      void result.current.pay.start({ ...paymentRequest, m_redirect_url: 'https://shop.example/pay/return' });
    });
    expect(sessionStorage.getItem('portone-kit:pending')).not.toBeNull();
    act(() => result.current.pay.reset());
    expect(sessionStorage.getItem('portone-kit:pending')).toBeNull();
  });

  it('does not redirect on PC even with m_redirect_url', async () => {
    const { result } = await ready({ merchantCode, mobile: false });
    act(() => {
      void result.current.pay.start({ ...paymentRequest, m_redirect_url: 'https://shop.example/pay/return' });
    });
    expect(result.current.pay.status).toBe('requesting');
    expect(sessionStorage.getItem('portone-kit:pending')).toBeNull();
    await waitFor(() => expect(result.current.pay.status).toBe('unverified'));
  });

  it('returns to idle when the page comes back from the back-forward cache with a window open', async () => {
    const windows = holdWindows(fake.imp);
    const { result } = await ready();
    act(() => {
      void result.current.pay.start(paymentRequest);
    });
    expect(result.current.pay.status).toBe('requesting');
    act(() => {
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    });
    expect(result.current.pay.status).toBe('idle');
    windows.discard();
    // The page is free for a new window.
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = result.current.pay.start({ ...paymentRequest, merchant_uid: 'order_0002' });
    });
    await act(async () => windows.answer());
    await expect(outcome).resolves.toMatchObject({ status: 'unverified' });
  });
});

describe('usePortone: issueBillingKey', () => {
  const billingRequest: BillingKeyRequest = {
    pg: 'mobilians.170622040674',
    pay_method: 'phone',
    merchant_uid: 'billing_0001',
    customer_uid: 'customer_0001',
    amount: 0,
    buyer_tel: '010-1234-5678',
  };

  it('opens the window with the customer_uid and verifies the key', async () => {
    const { result } = await ready();
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = result.current.issueBillingKey.start(billingRequest, {
        verify: async () => ({ key: 'customer_0001' }),
      });
    });
    await expect(outcome).resolves.toMatchObject({ status: 'succeeded', verification: { key: 'customer_0001' } });
    const [call] = requestPayCalls(fake.imp);
    expect(call).toMatchObject({ params: { customer_uid: 'customer_0001', pay_method: 'phone' } });
    await waitFor(() => expect(result.current.issueBillingKey.status).toBe('succeeded'));
    expect(result.current.pay.status).toBe('idle');
  });

  it('refuses a card billing key, as Mobilians does', async () => {
    const { result } = await ready();
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = result.current.issueBillingKey.start({ ...billingRequest, pay_method: 'card' as 'phone' });
    });
    await expect(outcome).resolves.toMatchObject({
      status: 'failed',
      error: { kind: 'invalid-request', problems: [{ field: 'pay_method' }] },
    });
    expect(requestPayCalls(fake.imp)).toHaveLength(0);
  });
});

describe('usePortone without a provider', () => {
  it('renders outside StrictMode too', async () => {
    const seen: string[] = [];
    render(<StatusLog into={seen} />);
    await waitFor(() => expect(seen.at(-1)).toBe('ready'));
  });
});
