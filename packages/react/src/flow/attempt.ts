import {
  type BillingKeyRequest,
  type CompletedResult,
  type FlowEvent,
  type FlowKind,
  type FlowOutcome,
  type FlowState,
  flowReducer,
  type Imp,
  initialFlowState,
  interpretPaymentResponse,
  outcomeOf,
  type PaymentRequest,
  type RedirectResult,
  type WindowLock,
} from '@portone-kit/core';
import type { StartOptions } from './outcome.js';
import { clearPendingIntent, savePendingIntent } from './pending-intent.js';

/** One start: its own machine, its own outcome, its own claim on the page's window. */
export interface Attempt<Request> {
  readonly number: number;
  /** What `start` (or `resume`) was given: the verify and the callback this attempt answers to. */
  readonly options: Pick<StartOptions, 'verify' | 'onSettled'>;
  readonly promise: Promise<FlowOutcome>;
  state(): FlowState<Request>;
  step(event: FlowEvent<Request>): void;
  /** Runs the merchant's `verify` on a completed result (or ends `unverified` without one). */
  check(result: CompletedResult): Promise<void>;
  /** Opens the window: saves the mobile intent, then calls `request_pay` in the caller's task. */
  open(imp: Imp, window: { kind: FlowKind; mobile: boolean; timeoutMs: number }): void;
  claim: symbol | null;
}

/**
 * An attempt whose every change goes through `step`: handed to `show` (the hook decides what the page
 * shows), and where it settles told to `onSettled` (every time) and to `promise` (the first time), with
 * the page's window freed.
 */
export function createAttempt<Request extends PaymentRequest | BillingKeyRequest>(
  number: number,
  lock: WindowLock,
  options: Pick<StartOptions, 'verify' | 'onSettled'>,
  show: (state: FlowState<Request>, attempt: Attempt<Request>) => void,
): Attempt<Request> {
  const { verify, onSettled } = options;
  let local: FlowState<Request> = initialFlowState;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settled = false;
  let settle!: (outcome: FlowOutcome) => void;
  const attempt: Attempt<Request> = {
    number,
    options,
    promise: new Promise((resolve) => {
      settle = resolve;
    }),
    state: () => local,
    step(event) {
      const next = flowReducer(local, event);
      if (next === local) return;
      local = next;
      show(next, attempt);
      // Once the window has answered (or timed out) the page is free: a verify that never settles must
      // not keep every other button waiting.
      if (next.status !== 'requesting' && next.status !== 'redirecting') {
        clearTimeout(timer);
        lock.release(attempt.claim);
      }
      const outcome = outcomeOf(next);
      if (!outcome) return;
      if (!settled) settle(outcome);
      settled = true;
      onSettled?.(outcome);
    },
    async check(result) {
      if (!verify) return attempt.step({ type: 'unverified', attempt: number });
      try {
        attempt.step({ type: 'verified', attempt: number, verification: await verify(result) });
      } catch (cause) {
        attempt.step({ type: 'verify-failed', attempt: number, cause });
      }
    },
    open(imp, { kind, mobile, timeoutMs }) {
      const params = (local.status === 'requesting' ? local.request : null) as Request | null;
      if (!params) return;
      if (params.m_redirect_url && mobile) {
        // The page may be gone before any callback: the redirect page finds the intent here.
        savePendingIntent({
          flow: kind,
          merchantUid: params.merchant_uid,
          amount: params.amount,
          customerUid: params.customer_uid ?? null,
          returnPath: `${location.pathname}${location.search}${location.hash}`,
          savedAt: Date.now(),
        });
        attempt.step({ type: 'redirect', attempt: number });
      }
      const onResponse = (response: unknown) => {
        // Some mobile windows (Mobilians phone payments in an iframe) still call back: handled as on PC.
        clearPendingIntent(params.merchant_uid);
        let result: RedirectResult = interpretPaymentResponse(response);
        if (result.status === 'completed' && result.merchantUid !== params.merchant_uid) {
          // An answer for another order (two requests crossed in the SDK) must not complete this one.
          result = {
            status: 'invalid',
            reason: `mismatch: the answer is for merchant_uid ${result.merchantUid}, not ${params.merchant_uid}`,
          };
        }
        const before = local;
        attempt.step({ type: 'result', attempt: number, result });
        // Only the answer that moved the flow is checked: an SDK calling back twice verifies once.
        if (local !== before && local.status === 'verifying') void attempt.check(local.result);
      };
      // Set before the call, so that an SDK answering at once clears it. Past 2^31 - 1 ms a timer would
      // fire at once: longer timeouts wait that long (about 24 days).
      const delay = Math.min(timeoutMs, 2 ** 31 - 1);
      timer = setTimeout(() => attempt.step({ type: 'timeout', attempt: number, afterMs: timeoutMs }), delay);
      try {
        // Synchronous, in the caller's task: no await may come before this line. The SDK gets a copy: it
        // writes into the object it is given (request_id, defaults), which may be frozen React state.
        imp.request_pay({ ...params }, onResponse);
      } catch (cause) {
        attempt.step({ type: 'sdk-failed', attempt: number, cause });
      }
    },
    claim: null,
  };
  return attempt;
}
