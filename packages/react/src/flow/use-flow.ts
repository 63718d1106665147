import {
  type BillingKeyRequest,
  type FlowError,
  type FlowEvent,
  type FlowKind,
  type FlowState,
  type FlowStatus,
  flowReducer,
  type Imp,
  initialFlowState,
  interpretPaymentResponse,
  isFlowInFlight,
  type PaymentRequest,
  type PaymentResult,
  type RedirectResult,
  type SdkStatus,
  type ValidationProblem,
} from '@portone-kit/core';
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { useLatest } from '../use-latest.js';
import { isMobileBrowser } from './device.js';
import type { FlowOutcome, StartOptions } from './outcome.js';
import { clearPendingIntent, savePendingIntent } from './pending-intent.js';
import { claimWindow, openWindowPromise, releaseWindow } from './window-lock.js';

export interface FlowController<Request> {
  status: FlowStatus;
  state: FlowState<Request>;
  isIdle: boolean;
  isRequesting: boolean;
  isRedirecting: boolean;
  isVerifying: boolean;
  isSucceeded: boolean;
  isUnverified: boolean;
  isFailed: boolean;
  isCancelled: boolean;
  /** A window is open or a result is being checked. */
  isInFlight: boolean;
  /** What the window reported, once it did. */
  result: PaymentResult | null;
  error: FlowError | null;
  /** What `verify` resolved with, once `succeeded`. */
  verification: unknown;
  /**
   * Opens the window. Calls `IMP.request_pay` synchronously, in the caller's task (the click), so the
   * PG's popup is not blocked. Resolves with the outcome once the window settles; never rejects. After a
   * `timeout` outcome, a late answer still moves `status` on (and is verified): the buyer may have paid.
   */
  start<Verification = unknown>(
    request: Request,
    options?: StartOptions<Verification>,
  ): Promise<FlowOutcome<Verification>>;
  /** Back to idle. A late answer from the window then changes nothing here. */
  reset(): void;
  /**
   * After a failed verification (your server could not be reached, say), asks `verify` again about the
   * same result instead of opening another window: the payment may be real. Resolves null, and does
   * nothing, in any other state.
   */
  reverify(): Promise<FlowOutcome | null>;
}

interface FlowSetup {
  kind: FlowKind;
  validate: (request: unknown) => ValidationProblem[];
  impRef: RefObject<Imp | null>;
  sdkStatus: SdkStatus;
  mobile: boolean | undefined;
  windowTimeoutMs: number | undefined;
}

function resultOf<Request>(state: FlowState<Request>): PaymentResult | null {
  if ('result' in state) return state.result;
  if (state.status === 'failed') {
    const { error } = state;
    return error.kind === 'payment' || error.kind === 'verification' ? error.result : null;
  }
  return null;
}

export function useFlow<Request extends PaymentRequest | BillingKeyRequest>(setup: FlowSetup): FlowController<Request> {
  const [state, setState] = useState<FlowState<Request>>(initialFlowState);
  const stateRef = useRef<FlowState<Request>>(initialFlowState);
  const mounted = useRef(false);
  const attempts = useRef(0);
  // The claim on the page's one window held by this hook's latest start, if any.
  const claim = useRef<symbol | null>(null);
  // The verify of the latest start, for reverify.
  const lastVerify = useRef<StartOptions['verify']>(undefined);
  const setupRef = useLatest(setup);

  const send = useCallback((event: FlowEvent<Request>) => {
    const next = flowReducer(stateRef.current, event);
    if (next === stateRef.current) return false;
    stateRef.current = next;
    // Nothing updates after unmount; the promise still settles and verification still runs.
    if (mounted.current) setState(next);
    return true;
  }, []);

  useEffect(() => {
    mounted.current = true;
    // A page restored from the back-forward cache may hold a window that no longer exists.
    const onPageShow = (event: PageTransitionEvent) => {
      const { status } = stateRef.current;
      if (event.persisted && (status === 'requesting' || status === 'redirecting')) {
        send({ type: 'reset' });
        releaseWindow(claim.current);
        // The buyer came back without paying: no redirect page should take this intent up any more.
        clearPendingIntent();
      }
    };
    window.addEventListener('pageshow', onPageShow);
    return () => {
      mounted.current = false;
      window.removeEventListener('pageshow', onPageShow);
      // A redirect answers on another page, never here: an unmounted flow no longer holds the page.
      if (stateRef.current.status === 'redirecting') releaseWindow(claim.current);
    };
  }, [send]);

  const start = useCallback(
    <Verification>(request: Request, options: StartOptions<Verification> = {}): Promise<FlowOutcome<Verification>> => {
      const open = openWindowPromise();
      if (open) return open as Promise<FlowOutcome<Verification>>;
      const { kind, validate, impRef, sdkStatus, mobile } = setupRef.current;
      const windowTimeoutMs = options.windowTimeoutMs ?? setupRef.current.windowTimeoutMs ?? 15 * 60_000;
      const attempt = ++attempts.current;
      const refuse = (error: FlowError) => {
        send({ type: 'reject', attempt, error });
        return Promise.resolve<FlowOutcome<Verification>>({ status: 'failed', error });
      };
      const problems = validate(request);
      const onMobile = mobile ?? isMobileBrowser();
      const params: PaymentRequest | BillingKeyRequest = request;
      if (onMobile && !params.m_redirect_url) {
        // On phones the window usually leaves the page: without m_redirect_url its result is lost.
        problems.push({
          field: 'm_redirect_url',
          message: 'm_redirect_url: required on mobile browsers, where the window leaves the page and comes back there',
        });
      }
      if (problems.length > 0) return refuse({ kind: 'invalid-request', problems });
      const imp = impRef.current;
      if (!imp || sdkStatus !== 'ready') return refuse({ kind: 'not-ready', sdkStatus });

      let settle!: (outcome: FlowOutcome<Verification>) => void;
      const promise = new Promise<FlowOutcome<Verification>>((resolve) => {
        settle = resolve;
      });
      const windowClaim = claimWindow(promise);
      claim.current = windowClaim;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (outcome: FlowOutcome<Verification>) => {
        clearTimeout(timer);
        releaseWindow(windowClaim);
        settle(outcome);
      };
      send({ type: 'start', attempt, request });
      lastVerify.current = options.verify as StartOptions['verify'];

      if (params.m_redirect_url && onMobile) {
        // The page may be gone before any callback: the redirect page finds the intent here.
        savePendingIntent({
          flow: kind,
          merchantUid: params.merchant_uid,
          amount: params.amount,
          customerUid: params.customer_uid ?? null,
          returnPath: `${location.pathname}${location.search}${location.hash}`,
          savedAt: Date.now(),
        });
        send({ type: 'redirect', attempt });
      }

      const onResponse = async (response: unknown) => {
        clearTimeout(timer);
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
        send({ type: 'result', attempt, result });
        if (result.status === 'invalid')
          return finish({ status: 'failed', error: { kind: 'redirect', reason: result.reason } });
        if (result.status === 'failed') return finish({ status: 'failed', error: { kind: 'payment', result } });
        if (result.status === 'cancelled') return finish({ status: 'cancelled', result });
        if (!options.verify) {
          send({ type: 'unverified', attempt });
          return finish({ status: 'unverified', result });
        }
        try {
          const verification = await options.verify(result);
          send({ type: 'verified', attempt, verification });
          finish({ status: 'succeeded', result, verification });
        } catch (cause) {
          send({ type: 'verify-failed', attempt, cause });
          finish({ status: 'failed', error: { kind: 'verification', result, cause } });
        }
      };

      // Set before the call, so that an SDK answering at once clears it.
      timer = setTimeout(() => {
        send({ type: 'timeout', attempt, afterMs: windowTimeoutMs });
        finish({ status: 'failed', error: { kind: 'timeout', afterMs: windowTimeoutMs } });
      }, windowTimeoutMs);
      try {
        // Synchronous, in the caller's task: no await may come before this line. The SDK gets a copy: it
        // writes into the object it is given (request_id, defaults), which may be frozen React state.
        imp.request_pay({ ...params }, (response) => void onResponse(response));
      } catch (cause) {
        send({ type: 'sdk-failed', attempt, cause });
        finish({ status: 'failed', error: { kind: 'sdk', cause } });
      }
      return promise;
    },
    [send, setupRef],
  );

  const reset = useCallback(() => {
    send({ type: 'reset' });
    releaseWindow(claim.current);
    clearPendingIntent();
  }, [send]);

  const reverify = useCallback(async (): Promise<FlowOutcome | null> => {
    const current = stateRef.current;
    const verify = lastVerify.current;
    if (current.status !== 'failed' || current.error.kind !== 'verification' || !verify) return null;
    const { attempt } = current;
    const { result } = current.error;
    send({ type: 'reverify', attempt });
    try {
      const verification = await verify(result);
      send({ type: 'verified', attempt, verification });
      return { status: 'succeeded', result, verification };
    } catch (cause) {
      send({ type: 'verify-failed', attempt, cause });
      return { status: 'failed', error: { kind: 'verification', result, cause } };
    }
  }, [send]);

  const { status } = state;
  return {
    status,
    state,
    isIdle: status === 'idle',
    isRequesting: status === 'requesting',
    isRedirecting: status === 'redirecting',
    isVerifying: status === 'verifying',
    isSucceeded: status === 'succeeded',
    isUnverified: status === 'unverified',
    isFailed: status === 'failed',
    isCancelled: status === 'cancelled',
    isInFlight: isFlowInFlight(status),
    result: resultOf(state),
    error: state.status === 'failed' ? state.error : null,
    verification: state.status === 'succeeded' ? state.verification : undefined,
    start,
    reset,
    reverify,
  };
}
