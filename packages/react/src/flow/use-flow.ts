import {
  type BillingKeyRequest,
  type FlowError,
  type FlowKind,
  type FlowOutcome,
  type FlowState,
  type FlowStatus,
  flowReducer,
  initialFlowState,
  isFlowInFlight,
  outcomeOf,
  type PaymentRequest,
  type PaymentResult,
  type RequestCheck,
  resultOf,
  type SdkStatus,
  type WindowLock,
} from '@portone-kit/core';
import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import type { SdkStore } from '../sdk/sdk-store.js';
import { useLatest } from '../use-latest.js';
import { useMachine } from '../use-machine.js';
import { type Attempt, createAttempt } from './attempt.js';
import { isMobileBrowser } from './device.js';
import type { StartOptions } from './outcome.js';
import { clearPendingIntent } from './pending-intent.js';
import { takeSettledOutcome } from './settled-outcome.js';

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
  /** This flow's window is open or its result is being checked. */
  isInFlight: boolean;
  /** A window of the page (this flow's or another's) is open: `start` would be refused as `busy`. */
  isWindowOpen: boolean;
  /** What the window reported, once it did. */
  result: PaymentResult | null;
  error: FlowError | null;
  /** What `verify` resolved with, once `succeeded`. */
  verification: unknown;
  /**
   * Opens the window. Calls `IMP.request_pay` synchronously, in the caller's task (the click), so the
   * PG's popup is not blocked. Resolves with this call's own outcome; never rejects. While a window of
   * the page is open it sends nothing and resolves `failed` with `{ kind: 'busy' }`. After a `timeout`
   * outcome a late answer is still interpreted and verified (`onSettled` hears it): the buyer may have paid.
   */
  start<Verification = unknown>(
    request: Request,
    options?: StartOptions<Verification>,
  ): Promise<FlowOutcome<Verification>>;
  /** Back to idle, freeing the page's window. A late answer then shows only if it is a verified payment. */
  reset(): void;
  /**
   * After a failed verification (your server could not be reached, say), asks `verify` again about the
   * same result instead of opening another window: the payment may be real. Resolves null, and does
   * nothing, in any other state.
   */
  reverify(): Promise<FlowOutcome | null>;
  /**
   * Mobile round trip: shows the outcome the `m_redirect_url` page settled for this request's
   * merchant_uid in this tab, once (it is forgotten as it is shown), and tells `onSettled`. Null when there is none.
   */
  resume<Verification = unknown>(
    request: Request,
    options?: Pick<StartOptions<Verification>, 'onSettled'>,
  ): FlowOutcome<Verification> | null;
}

interface FlowSetup {
  kind: FlowKind;
  /** The core's check: every problem, and the request to send (with `pg` filled in where it was left out). */
  check: (request: unknown) => RequestCheck<PaymentRequest | BillingKeyRequest>;
  sdk: SdkStore;
  sdkStatus: SdkStatus;
  lock: WindowLock;
  mobile: boolean | undefined;
  windowTimeoutMs: number | undefined;
}

const replace = <State>(_: State, next: State) => next;

export function useFlow<Request extends PaymentRequest | BillingKeyRequest>(setup: FlowSetup): FlowController<Request> {
  const [state, show, showing] = useMachine(replace<FlowState<Request>>, initialFlowState);
  const attempts = useRef(0);
  const last = useRef<Attempt<Request> | null>(null);
  const setupRef = useLatest(setup);
  const { lock } = setup;
  const isWindowOpen = useSyncExternalStore(lock.subscribe, lock.isHeld, () => false);

  const reset = useCallback(() => {
    show({ status: 'idle', attempt: ++attempts.current });
    setupRef.current.lock.release(last.current?.claim);
    // The buyer came back without paying: no redirect page should take this intent up any more.
    clearPendingIntent();
  }, [show, setupRef]);

  useEffect(() => {
    // A page restored from the back-forward cache may hold a window that no longer exists.
    const onPageShow = (event: PageTransitionEvent) => {
      const { status } = showing.current;
      if (event.persisted && (status === 'requesting' || status === 'redirecting')) reset();
    };
    window.addEventListener('pageshow', onPageShow);
    return () => {
      window.removeEventListener('pageshow', onPageShow);
      // A redirect answers on another page, never here: an unmounted flow no longer holds the page.
      if (showing.current.status === 'redirecting') setupRef.current.lock.release(last.current?.claim);
    };
  }, [reset, showing, setupRef]);

  // The latest attempt is shown as it goes. An older one (a newer start or a reset came since) is shown
  // only when it turns out paid, unless the page already shows a payment: a paid result is never hidden,
  // and a later attempt's failure never covers it.
  const publish = useCallback(
    (next: FlowState<Request>, attempt: number) => {
      if (attempt === attempts.current) show(next);
      else if (next.status === 'succeeded' && showing.current.status !== 'succeeded')
        show({ ...next, attempt: ++attempts.current });
    },
    [show, showing],
  );

  const start = useCallback(
    <Verification>(request: Request, options: StartOptions<Verification> = {}): Promise<FlowOutcome<Verification>> => {
      const { kind, check, sdk, sdkStatus, lock, mobile } = setupRef.current;
      if (lock.isHeld()) {
        // Refused before anything is sent: this caller's own outcome, never the open window's.
        const busy: FlowOutcome<Verification> = { status: 'failed', error: { kind: 'busy' } };
        options.onSettled?.(busy);
        return Promise.resolve(busy);
      }
      const attempt = createAttempt<Request>(++attempts.current, lock, options as StartOptions, publish);
      last.current = attempt;
      const { problems, request: checked } = check(request);
      const onMobile = mobile ?? isMobileBrowser();
      const params = (checked ?? request) as Request;
      if (onMobile && !params.m_redirect_url) {
        // On phones the window usually leaves the page: without m_redirect_url its result is lost.
        problems.push({
          field: 'm_redirect_url',
          message: 'm_redirect_url: required on mobile browsers, where the window leaves the page and comes back there',
        });
      }
      const imp = sdk.imp();
      const error: FlowError | null =
        problems.length > 0
          ? { kind: 'invalid-request', problems }
          : !imp || sdkStatus !== 'ready'
            ? { kind: 'not-ready', sdkStatus }
            : null;
      if (error || !imp) {
        attempt.step({ type: 'reject', attempt: attempt.number, error: error ?? { kind: 'not-ready', sdkStatus } });
      } else {
        attempt.claim = lock.claim();
        attempt.step({ type: 'start', attempt: attempt.number, request: params });
        const timeoutMs = options.windowTimeoutMs ?? setupRef.current.windowTimeoutMs ?? 15 * 60_000;
        attempt.open(imp, { kind, mobile: onMobile, timeoutMs });
      }
      return attempt.promise as Promise<FlowOutcome<Verification>>;
    },
    [publish, setupRef],
  );

  const reverify = useCallback(async (): Promise<FlowOutcome | null> => {
    const current = last.current;
    const before = current?.state();
    if (!current || before?.status !== 'failed' || before.error.kind !== 'verification') return null;
    current.step({ type: 'reverify', attempt: before.attempt });
    await current.check(before.error.result);
    return outcomeOf(current.state());
  }, []);

  const resume = useCallback(
    <Verification>(request: Request, options: Pick<StartOptions<Verification>, 'onSettled'> = {}) => {
      const outcome = takeSettledOutcome(
        request.merchant_uid,
        setupRef.current.kind,
      ) as FlowOutcome<Verification> | null;
      if (outcome) {
        show(
          flowReducer<Request>(initialFlowState, { type: 'restore', attempt: ++attempts.current, request, outcome }),
        );
        options.onSettled?.(outcome);
      }
      return outcome;
    },
    [show, setupRef],
  );

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
    isWindowOpen,
    result: resultOf(state),
    error: state.status === 'failed' ? state.error : null,
    verification: state.status === 'succeeded' ? state.verification : undefined,
    start,
    reset,
    reverify,
    resume,
  };
}
