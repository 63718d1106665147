import { loadPortone } from '@portone-kit/core';
import type { FlowOutcome } from '@portone-kit/react';
import { MobiliansPayButton, PortoneProvider, RedirectResultHandler, usePortone } from '@portone-kit/react';
import { act, renderHook, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { merchantCode, paymentRequest, renderStrict, setUpFakePortone } from './support.js';

const fake = setUpFakePortone();

// Unmounting never loses an outcome: whatever the window answers is verified and told to the callbacks
// of the attempt, where it settles. React drops the state updates of an unmounted tree by itself.
describe('after unmount', () => {
  it('a flow whose window answers after unmount still verifies, resolves and tells onSettled', async () => {
    fake.imp.configure({ delayMs: 30 });
    const { result, unmount } = renderHook(() => usePortone({ merchantCode }), { wrapper: StrictMode });
    await waitFor(() => expect(result.current.sdk.isReady).toBe(true));
    const verify = vi.fn(async () => 'recorded');
    const onSettled = vi.fn();
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = result.current.pay.start(paymentRequest, { verify, onSettled });
    });
    unmount();
    await expect(outcome).resolves.toMatchObject({ status: 'succeeded', verification: 'recorded' });
    expect(verify).toHaveBeenCalledTimes(1);
    expect(onSettled).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ status: 'succeeded' }));
  });

  it('an SDK load that ends after unmount leaves the page free for the next mount', async () => {
    delete (window as { IMP?: unknown }).IMP;
    const options = { merchantCode, src: 'http://127.0.0.1:9/none.js', timeoutMs: 20, retries: 0 };
    const { unmount } = renderHook(() => usePortone(options), { wrapper: StrictMode });
    unmount();
    // The same options join the load in flight: its end is an event, not a guess at a duration.
    await expect(loadPortone(options)).rejects.toMatchObject({ code: 'timeout' });
    Object.assign(window, { IMP: fake.imp });
    const again = renderHook(() => usePortone(options), { wrapper: StrictMode });
    await waitFor(() => expect(again.result.current.sdk.isReady).toBe(true));
  });

  it('a button unmounted while verify runs still calls onSuccess once (the shop refetches its order page)', async () => {
    let finish!: (value: string) => void;
    const verify = vi.fn(() => new Promise<string>((resolve) => (finish = resolve)));
    const onSuccess = vi.fn();
    const onFailure = vi.fn();
    const { unmount } = renderStrict(
      <PortoneProvider merchantCode={merchantCode}>
        <MobiliansPayButton request={paymentRequest} onSuccess={onSuccess} onFailure={onFailure} verify={verify} />
      </PortoneProvider>,
    );
    const button = await screen.findByRole('button', { name: '결제하기' });
    await waitFor(() => expect(button.getAttribute('data-status')).toBe('ready'));
    act(() => button.click());
    await waitFor(() => expect(verify).toHaveBeenCalledTimes(1));
    unmount();
    await act(async () => finish('ok'));
    expect(onSuccess).toHaveBeenCalledExactlyOnceWith(
      expect.objectContaining({ status: 'succeeded', verification: 'ok' }),
    );
    expect(onFailure).not.toHaveBeenCalled();
  });

  it('a redirect page unmounted while verifying still finishes verifying once', async () => {
    let finish!: (value: string) => void;
    const verify = vi.fn(() => new Promise<string>((resolve) => (finish = resolve)));
    const { unmount } = renderStrict(
      <RedirectResultHandler url="https://shop.example/return?imp_uid=imp_9&merchant_uid=order_9" verify={verify} />,
    );
    await waitFor(() => expect(verify).toHaveBeenCalledTimes(1));
    unmount();
    await act(async () => finish('ok'));
    expect(sessionStorage.getItem('portone-kit:verified:imp_9:order_9')).toBe(
      JSON.stringify({ ok: true, verification: 'ok' }),
    );
    expect(verify).toHaveBeenCalledTimes(1);
  });
});
