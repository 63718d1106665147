import type { FlowOutcome } from '@portone-kit/react';
import { MobiliansPayButton, PortoneProvider, RedirectResultHandler, usePortone } from '@portone-kit/react';
import { act, renderHook, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { merchantCode, paymentRequest, renderStrict, setUpFakePortone } from './support.js';

// React 19 drops a state update on an unmounted component silently, so the kit's own setters are
// watched here: any call after unmount is a defect.
const watch = vi.hoisted(() => ({ unmounted: false, updatesAfterUnmount: 0 }));
vi.mock('react', async (importOriginal) => {
  const react = await importOriginal<typeof import('react')>();
  const useState = ((initial: unknown) => {
    const [value, setValue] = react.useState(initial);
    return [
      value,
      (next: unknown) => {
        if (watch.unmounted) watch.updatesAfterUnmount++;
        setValue(next);
      },
    ];
  }) as typeof react.useState;
  return { ...react, default: { ...react, useState }, useState };
});

const fake = setUpFakePortone();

describe('after unmount', () => {
  it('a flow whose window answers late updates no state and still verifies', async () => {
    watch.unmounted = false;
    watch.updatesAfterUnmount = 0;
    fake.imp.configure({ delayMs: 30 });
    const { result, unmount } = renderHook(() => usePortone({ merchantCode }), { wrapper: StrictMode });
    await waitFor(() => expect(result.current.sdk.isReady).toBe(true));
    const verify = vi.fn(async () => 'recorded');
    let outcome!: Promise<FlowOutcome>;
    act(() => {
      outcome = result.current.pay.start(paymentRequest, { verify });
    });
    unmount();
    watch.unmounted = true;
    await expect(outcome).resolves.toMatchObject({ status: 'succeeded' });
    expect(verify).toHaveBeenCalledTimes(1);
    expect(watch.updatesAfterUnmount).toBe(0);
  });

  it('an SDK load that ends after unmount updates no state', async () => {
    watch.unmounted = false;
    watch.updatesAfterUnmount = 0;
    delete (window as { IMP?: unknown }).IMP;
    const { unmount } = renderHook(
      () => usePortone({ merchantCode, src: 'http://127.0.0.1:9/none.js', timeoutMs: 20, retries: 0 }),
      { wrapper: StrictMode },
    );
    unmount();
    watch.unmounted = true;
    await new Promise((wait) => setTimeout(wait, 60));
    expect(watch.updatesAfterUnmount).toBe(0);
  });

  it('a button unmounted mid-flow calls none of its callbacks', async () => {
    watch.unmounted = false;
    watch.updatesAfterUnmount = 0;
    fake.imp.configure({ delayMs: 30 });
    const onSuccess = vi.fn();
    const { unmount } = renderStrict(
      <PortoneProvider merchantCode={merchantCode}>
        <MobiliansPayButton request={paymentRequest} onSuccess={onSuccess} verify={async () => 'ok'} />
      </PortoneProvider>,
    );
    const button = await screen.findByRole('button', { name: '결제하기' });
    await waitFor(() => expect(button.getAttribute('data-status')).toBe('ready'));
    act(() => button.click());
    unmount();
    watch.unmounted = true;
    await new Promise((wait) => setTimeout(wait, 80));
    expect(onSuccess).not.toHaveBeenCalled();
    expect(watch.updatesAfterUnmount).toBe(0);
  });

  it('a redirect page unmounted while verifying updates no state', async () => {
    watch.unmounted = false;
    watch.updatesAfterUnmount = 0;
    let finish!: (value: string) => void;
    const verify = vi.fn(() => new Promise<string>((resolve) => (finish = resolve)));
    const { unmount } = renderStrict(
      <RedirectResultHandler url="https://shop.example/return?imp_uid=imp_9&merchant_uid=order_9" verify={verify} />,
    );
    await waitFor(() => expect(verify).toHaveBeenCalledTimes(1));
    unmount();
    watch.unmounted = true;
    await act(async () => finish('ok'));
    expect(watch.updatesAfterUnmount).toBe(0);
  });
});
