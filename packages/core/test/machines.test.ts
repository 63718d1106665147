import {
  type CompletedResult,
  type FlowEvent,
  type FlowState,
  flowReducer,
  initialFlowState,
  initialSdkState,
  type PaymentRequest,
  PortoneLoadError,
  sdkReducer,
} from '@portone-kit/core';
import { describe, expect, it } from 'vitest';

const request: PaymentRequest = {
  pg: 'mobilians',
  pay_method: 'phone',
  merchant_uid: 'order_1',
  amount: 1000,
  buyer_tel: '010-1234-5678',
};
const completed: CompletedResult = { status: 'completed', impUid: 'imp_1', merchantUid: 'order_1', raw: {} };

type Event = FlowEvent<PaymentRequest>;
const run = (events: Event[], from: FlowState<PaymentRequest> = initialFlowState) => events.reduce(flowReducer, from);

describe('flowReducer', () => {
  it('goes idle -> requesting -> verifying -> succeeded through the merchant verification', () => {
    const requesting = run([{ type: 'start', attempt: 1, request }]);
    expect(requesting).toEqual({ status: 'requesting', attempt: 1, request });
    const verifying = flowReducer(requesting, { type: 'result', attempt: 1, result: completed });
    expect(verifying).toMatchObject({ status: 'verifying', result: completed });
    expect(flowReducer(verifying, { type: 'verified', attempt: 1, verification: { orderId: 7 } })).toEqual({
      status: 'succeeded',
      attempt: 1,
      request,
      result: completed,
      verification: { orderId: 7 },
    });
  });

  it('passes through redirecting on mobile', () => {
    const state = run([
      { type: 'start', attempt: 1, request },
      { type: 'redirect', attempt: 1 },
    ]);
    expect(state.status).toBe('redirecting');
    expect(flowReducer(state, { type: 'result', attempt: 1, result: completed }).status).toBe('verifying');
  });

  it('ends unverified, not succeeded, when nobody verifies', () => {
    const state = run([
      { type: 'start', attempt: 1, request },
      { type: 'result', attempt: 1, result: completed },
      { type: 'unverified', attempt: 1 },
    ]);
    expect(state.status).toBe('unverified');
  });

  it('ends failed or cancelled from the window result, and failed when verification fails', () => {
    const failed = {
      status: 'failed',
      code: 'F1002',
      message: 'paid',
      impUid: null,
      merchantUid: 'order_1',
      raw: {},
    } as const;
    expect(
      run([
        { type: 'start', attempt: 1, request },
        { type: 'result', attempt: 1, result: failed },
      ]),
    ).toMatchObject({
      status: 'failed',
      error: { kind: 'payment', result: failed },
    });
    const cancelled = { ...failed, status: 'cancelled', code: 'F0005' } as const;
    expect(
      run([
        { type: 'start', attempt: 1, request },
        { type: 'result', attempt: 1, result: cancelled },
      ]).status,
    ).toBe('cancelled');
    const cause = new Error('amount mismatch');
    expect(
      run([
        { type: 'start', attempt: 1, request },
        { type: 'result', attempt: 1, result: completed },
        { type: 'verify-failed', attempt: 1, cause },
      ]),
    ).toMatchObject({ status: 'failed', error: { kind: 'verification', cause } });
    expect(
      run([
        { type: 'start', attempt: 1, request },
        { type: 'result', attempt: 1, result: { status: 'invalid', reason: 'merchant_uid is missing' } },
      ]),
    ).toMatchObject({ status: 'failed', error: { kind: 'redirect', reason: 'merchant_uid is missing' } });
    expect(
      run([
        { type: 'start', attempt: 1, request },
        { type: 'sdk-failed', attempt: 1, cause },
      ]),
    ).toMatchObject({
      status: 'failed',
      error: { kind: 'sdk', cause },
    });
  });

  it('fails a silent window on timeout, and still takes the answer that comes after it', () => {
    const timedOut = run([
      { type: 'start', attempt: 1, request },
      { type: 'timeout', attempt: 1, afterMs: 1000 },
    ]);
    expect(timedOut).toMatchObject({ status: 'failed', error: { kind: 'timeout', afterMs: 1000 } });
    expect(flowReducer(timedOut, { type: 'result', attempt: 1, result: completed })).toMatchObject({
      status: 'verifying',
      result: completed,
    });
    // A page that should have left for the redirect and did not times out the same way.
    const redirecting = run([
      { type: 'start', attempt: 1, request },
      { type: 'redirect', attempt: 1 },
    ]);
    expect(flowReducer(redirecting, { type: 'timeout', attempt: 1, afterMs: 1 })).toMatchObject({
      status: 'failed',
      error: { kind: 'timeout' },
    });
    // An answer for another attempt is another flow's.
    expect(flowReducer(timedOut, { type: 'result', attempt: 2, result: completed })).toBe(timedOut);
  });

  it('verifies again a result whose verification failed, and only that', () => {
    const failedVerification = run([
      { type: 'start', attempt: 1, request },
      { type: 'result', attempt: 1, result: completed },
      { type: 'verify-failed', attempt: 1, cause: new Error('network') },
    ]);
    expect(flowReducer(failedVerification, { type: 'reverify', attempt: 1 })).toMatchObject({
      status: 'verifying',
      result: completed,
    });
    const declined = run([
      { type: 'start', attempt: 1, request },
      {
        type: 'result',
        attempt: 1,
        result: { status: 'failed', code: 'X', message: 'no', impUid: null, merchantUid: 'order_1', raw: {} },
      },
    ]);
    expect(flowReducer(declined, { type: 'reverify', attempt: 1 })).toBe(declined);
  });

  it('ignores a second start while a flow is in flight', () => {
    for (const inFlight of [
      [{ type: 'start', attempt: 1, request }],
      [
        { type: 'start', attempt: 1, request },
        { type: 'redirect', attempt: 1 },
      ],
      [
        { type: 'start', attempt: 1, request },
        { type: 'result', attempt: 1, result: completed },
      ],
    ] as Event[][]) {
      const state = run(inFlight);
      expect(flowReducer(state, { type: 'start', attempt: 2, request: { ...request, merchant_uid: 'order_2' } })).toBe(
        state,
      );
      expect(flowReducer(state, { type: 'reject', attempt: 2, error: { kind: 'sdk', cause: null } })).toBe(state);
    }
  });

  it('ignores a late callback after reset, and one from an older attempt after a new start', () => {
    const reset = run([{ type: 'start', attempt: 1, request }, { type: 'reset' }]);
    expect(reset).toEqual({ status: 'idle', attempt: 1 });
    expect(flowReducer(reset, { type: 'result', attempt: 1, result: completed })).toBe(reset);
    const second = flowReducer(reset, { type: 'start', attempt: 2, request });
    expect(second.attempt).toBe(2);
    expect(flowReducer(second, { type: 'result', attempt: 1, result: completed })).toBe(second);
  });

  it('ignores events that do not fit the state', () => {
    const idle = initialFlowState as FlowState<PaymentRequest>;
    for (const event of [
      { type: 'redirect', attempt: 0 },
      { type: 'result', attempt: 0, result: completed },
      { type: 'verified', attempt: 0, verification: null },
      { type: 'unverified', attempt: 0 },
    ] as Event[]) {
      expect(flowReducer(idle, event)).toBe(idle);
    }
    const requesting = run([{ type: 'start', attempt: 1, request }]);
    expect(flowReducer(requesting, { type: 'verified', attempt: 1, verification: null })).toBe(requesting);
    const succeeded = run([
      { type: 'start', attempt: 1, request },
      { type: 'result', attempt: 1, result: completed },
      { type: 'verified', attempt: 1, verification: null },
    ]);
    expect(flowReducer(succeeded, { type: 'result', attempt: 1, result: completed })).toBe(succeeded);
  });

  it('starts again from a final state, and records a rejected start as failed without a request', () => {
    const cancelled = run([
      { type: 'start', attempt: 1, request },
      {
        type: 'result',
        attempt: 1,
        result: { status: 'cancelled', code: 'F0005', message: 'x', impUid: null, merchantUid: 'o', raw: {} },
      },
    ]);
    expect(flowReducer(cancelled, { type: 'start', attempt: 2, request })).toMatchObject({
      status: 'requesting',
      attempt: 2,
    });
    expect(
      flowReducer(cancelled, { type: 'reject', attempt: 2, error: { kind: 'invalid-request', problems: [] } }),
    ).toMatchObject({
      status: 'failed',
      attempt: 2,
      request: null,
    });
  });
});

describe('sdkReducer', () => {
  it('goes idle -> loading -> ready, or -> error and back to loading on retry', () => {
    const loading = sdkReducer(initialSdkState, { type: 'load' });
    expect(loading.status).toBe('loading');
    expect(sdkReducer(loading, { type: 'loaded' })).toEqual({ status: 'ready', error: null });
    const error = new PortoneLoadError('timeout', 'late', 3);
    const failed = sdkReducer(loading, { type: 'failed', error });
    expect(failed).toEqual({ status: 'error', error });
    expect(sdkReducer(failed, { type: 'load' }).status).toBe('loading');
  });

  it('goes back to loading from ready for a re-init', () => {
    expect(sdkReducer({ status: 'ready', error: null }, { type: 'load' })).toEqual({ status: 'loading', error: null });
  });

  it('ignores events that do not fit the state', () => {
    const ready = { status: 'ready', error: null } as const;
    const loading = sdkReducer(initialSdkState, { type: 'load' });
    expect(sdkReducer(loading, { type: 'load' })).toBe(loading);
    expect(sdkReducer(ready, { type: 'failed', error: new PortoneLoadError('timeout', 'x') })).toBe(ready);
    expect(sdkReducer(initialSdkState, { type: 'loaded' })).toBe(initialSdkState);
  });
});
