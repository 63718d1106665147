import {
  type BillingKeyRequest,
  type FlowError,
  type FlowKind,
  type FlowOutcome,
  type FlowState,
  initialFlowState,
  isFlowInFlight,
  mayBePaid,
  outcomeOf,
  type PaymentRequest,
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
import type { FlowController } from './controller.js';
import { isMobileBrowser } from './device.js';
import type { StartOptions } from './outcome.js';
import { clearPendingIntent } from './pending-intent.js';
import { takeSettledOutcome } from './settled-outcome.js';

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

  // The attempt whose state the page shows, and the orders whose window completed (paid, maybe).
  const shownBy = useRef<Attempt<Request> | null>(null);
  const completedOrders = useRef(new Set<string>());

  // The shown attempt's changes are shown as they come. Another attempt (an older one, after a new start
  // or a reset) takes the page over when its window completed and the page shows no completed window:
  // a paid result is never hidden, and a later attempt's failure never covers it.
  const publish = useCallback(
    (next: FlowState<Request>, attempt: Attempt<Request>) => {
      if (mayBePaid(next)) completedOrders.current.add((next as { request: Request }).request.merchant_uid);
      const shown = showing.current.status;
      const completedShown = shown === 'succeeded' || shown === 'unverified';
      if (attempt !== shownBy.current && (!mayBePaid(next) || completedShown)) return;
      shownBy.current = attempt;
      last.current = attempt;
      show(next);
    },
    [show, showing],
  );

  /** A new attempt, shown from now on. */
  const begin = useCallback(
    (options: Pick<StartOptions, 'verify' | 'onSettled'>) => {
      const { onSettled } = options;
      const attempt: Attempt<Request> = createAttempt<Request>(
        ++attempts.current,
        setupRef.current.lock,
        {
          verify: options.verify,
          // After a window of this order completed, another window's refusal (F1002: already paid),
          // cancel or timeout is not news for the shop: the completed one is the truth.
          onSettled: (outcome) => {
            const state = attempt.state();
            const order = 'request' in state ? state.request?.merchant_uid : undefined;
            const otherWindowCompleted = order !== undefined && completedOrders.current.has(order);
            const completed =
              outcome.status !== 'failed' ? outcome.status !== 'cancelled' : outcome.error.kind === 'verification';
            if (!otherWindowCompleted || completed) onSettled?.(outcome);
          },
        },
        publish,
      );
      shownBy.current = attempt;
      last.current = attempt;
      return attempt;
    },
    [publish, setupRef],
  );

  const resume = useCallback(
    <Verification>(request: Request, options: Pick<StartOptions<Verification>, 'verify' | 'onSettled'> = {}) => {
      const outcome = takeSettledOutcome(
        request.merchant_uid,
        setupRef.current.kind,
      ) as FlowOutcome<Verification> | null;
      if (outcome) {
        // An attempt of its own, so that "verify again" after a failed verification asks this order's server.
        const attempt = begin(options as Pick<StartOptions, 'verify' | 'onSettled'>);
        attempt.step({ type: 'restore', attempt: attempt.number, request, outcome });
      }
      return outcome;
    },
    [begin, setupRef],
  );

  const reset = useCallback(() => {
    shownBy.current = null;
    show({ status: 'idle', attempt: ++attempts.current });
    setupRef.current.lock.release(last.current?.claim);
    // The buyer came back without paying: no redirect page should take this intent up any more.
    clearPendingIntent();
  }, [show, setupRef]);

  useEffect(() => {
    // A page restored from the back-forward cache may hold a window that no longer exists; the
    // m_redirect_url page may meanwhile have settled its order: shown, if so.
    const onPageShow = (event: PageTransitionEvent) => {
      const { status } = showing.current;
      const previous = last.current;
      if (!event.persisted || (status !== 'requesting' && status !== 'redirecting')) return;
      reset();
      const state = previous?.state();
      if (previous && state && 'request' in state && state.request) resume(state.request, previous.options);
    };
    window.addEventListener('pageshow', onPageShow);
    return () => {
      window.removeEventListener('pageshow', onPageShow);
      // A redirect answers on another page, never here: an unmounted flow no longer holds the page.
      if (showing.current.status === 'redirecting') setupRef.current.lock.release(last.current?.claim);
    };
  }, [reset, resume, showing, setupRef]);

  const start = useCallback(
    <Verification>(request: Request, options: StartOptions<Verification> = {}): Promise<FlowOutcome<Verification>> => {
      const { kind, check, sdk, sdkStatus, lock, mobile } = setupRef.current;
      if (lock.isHeld()) {
        // Refused before anything is sent: this caller's own outcome, never the open window's.
        const busy: FlowOutcome<Verification> = { status: 'failed', error: { kind: 'busy' } };
        options.onSettled?.(busy);
        return Promise.resolve(busy);
      }
      const attempt = begin(options as StartOptions);
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
    [begin, setupRef],
  );

  const reverify = useCallback(async (): Promise<FlowOutcome | null> => {
    const current = last.current;
    const before = current?.state();
    if (!current || before?.status !== 'failed' || before.error.kind !== 'verification') return null;
    current.step({ type: 'reverify', attempt: before.attempt });
    await current.check(before.error.result);
    return outcomeOf(current.state());
  }, []);

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
