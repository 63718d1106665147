import type { FlowError, FlowOutcome, FlowState, FlowStatus, PaymentResult } from '@portone-kit/core';
import type { StartOptions } from './outcome.js';

/** One flow of `usePortone()` (`pay` or `issueBillingKey`): its state, and what it can do. */
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
