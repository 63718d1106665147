import { type PaymentRequest, unloadPortone } from '@portone-kit/core';
import { createFakeImp, type FakeImp, type FakePortoneOptions } from '@portone-kit/sandbox';
import { cleanup, render } from '@testing-library/react';
import { type ReactNode, StrictMode } from 'react';
import { afterEach, beforeEach } from 'vitest';

export const merchantCode = 'imp12345678';

export const paymentRequest = {
  pg: 'mobilians',
  pay_method: 'phone',
  merchant_uid: 'order_0001',
  name: '월간 구독',
  amount: 9900,
  buyer_tel: '010-1234-5678',
} satisfies PaymentRequest;

/** Everything the tests render runs under StrictMode, as the kit's users' apps do in development. */
export function renderStrict(ui: ReactNode) {
  const view = render(<StrictMode>{ui}</StrictMode>);
  // Without StrictMode around the new tree too, React would see another tree and remount everything.
  return { ...view, rerender: (next: ReactNode) => view.rerender(<StrictMode>{next}</StrictMode>) };
}

/** A fresh fake IMP on `window` for each test, with the loader's page state forgotten. */
export function setUpFakePortone(options: FakePortoneOptions = {}): { readonly imp: FakeImp } {
  const holder = { imp: createFakeImp(options) };
  beforeEach(() => {
    holder.imp = createFakeImp(options);
    Object.assign(window, { IMP: holder.imp });
    sessionStorage.clear();
  });
  afterEach(() => {
    cleanup();
    // The SDK, the loader's memory and the page's window lock go with it.
    unloadPortone();
  });
  return holder;
}

export const requestPayCalls = (imp: FakeImp) => imp.calls.filter((call) => call.method === 'request_pay');
export const initCalls = (imp: FakeImp) => imp.calls.filter((call) => call.method === 'init');

/**
 * Holds every window the fake opens until the test answers it: what the page shows while a window is
 * open is checked when the test chooses, never in a race with a timer.
 */
export function holdWindows(imp: FakeImp): { answer(): void; discard(): void; readonly open: number } {
  const held: (() => void)[] = [];
  const request = imp.request_pay;
  imp.request_pay = (params, callback) => void held.push(() => request(params, callback));
  return {
    answer: () => held.shift()?.(),
    /** The oldest window never answers, as one of a page frozen in the back-forward cache. */
    discard: () => void held.shift(),
    get open() {
      return held.length;
    },
  };
}
